"""MultiStageHeatmapHead: one sigma per stage (multilevel targets) and the
stage decoded at test time."""
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.structures import InstanceData
from mmpose.registry import MODELS
from mmpose.structures import MultilevelPixelData, PoseDataSample


from conftest import ROOT


def test_each_stage_is_supervised_with_its_own_sigma():
    cfg = Config.fromfile(ROOT / 'configs' / 'resnet_multi_stage' /
                          'td-hm_res101-3stage_8xb32-210e_lsp-256x256.py')
    target = [t for t in cfg.train_dataloader.dataset.pipeline
              if t.type == 'GenerateTarget'][0]
    assert target.multilevel
    assert [c.sigma for c in target.encoder] == [3, 2.5, 2]
    assert cfg.model.head.decoder.sigma == 2
    # the generated levels really differ in spread: wider for stage 0
    from mmpose.datasets.transforms import GenerateTarget
    gen = GenerateTarget(encoder=target.encoder, multilevel=True)
    results = gen(dict(keypoints=np.array([[[128., 128.]] * 14]),
                       keypoints_visible=np.ones((1, 14))))
    maps = results['heatmaps']  # one (K, H, W) array per level
    spread = [(maps[level][0] > 0.5).sum() for level in range(3)]
    assert spread[0] > spread[1] > spread[2]

    # the head picks level i for stage i
    head = MODELS.build(dict(
        type='MultiStageHeatmapHead', num_stages=3, in_channels=2,
        out_channels=2, deconv_out_channels=None, final_layer=None,
        loss=dict(type='KeypointMSELoss', use_target_weight=True)))
    levels = [torch.rand(2, 8, 8) * (i + 1) for i in range(3)]
    sample = PoseDataSample()
    sample.gt_fields = MultilevelPixelData(heatmaps=levels)
    sample.gt_instance_labels = InstanceData(
        keypoint_weights=torch.ones(3, 1, 2))
    feats = [level[None].clone() for level in levels]  # perfect per stage
    assert head.loss(feats, [sample])['loss_kpt'].item() == 0
    feats = [levels[0][None].clone()] * 3  # stage 0's target everywhere
    assert head.loss(feats, [sample])['loss_kpt'].item() > 0


def test_test_stage_picks_the_decoded_stage():
    head = MODELS.build(dict(
        type='MultiStageHeatmapHead', num_stages=3, in_channels=2,
        out_channels=2, deconv_out_channels=None, final_layer=None,
        test_stage=0))
    head.eval()
    feats = [torch.full((1, 2, 4, 4), float(i)) for i in range(3)]
    assert head.forward(feats)[-1].max() == 0
    head.train()
    assert head.forward(feats)[-1].max() == 2
    with pytest.raises(ValueError, match='out of range'):
        MODELS.build(dict(type='MultiStageHeatmapHead', num_stages=2,
                          test_stage=2, deconv_out_channels=None,
                          final_layer=None, in_channels=2, out_channels=2))
