"""ResNet-encoder multi-stage network (Su et al.): shapes, sizes, per-stage
targets, the intermediate decoding rule, stage growth."""
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.structures import InstanceData
from mmpose.registry import KEYPOINT_CODECS, MODELS
from mmpose.structures import MultilevelPixelData, PoseDataSample

from mmpose_hourglass_ext.utils.analysis import count_params
from mmpose_hourglass_ext.codecs import second_max_decode
from mmpose_hourglass_ext.models.backbones import ResNetMultiStage
from mmpose_hourglass_ext.utils.stage_growth import grow_state_dict

from conftest import ROOT, python_tool

TINY = dict(num_keypoints=5, channels=16, base_channels=8)


def tiny(depths=(50, 50), **kwargs):
    torch.manual_seed(0)
    model = ResNetMultiStage(depths=depths, **{**TINY, **kwargs})
    model.eval()
    return model


def test_shapes_per_stage():
    model = tiny((50, 50, 50))
    outs = model(torch.randn(2, 3, 128, 96))
    assert [tuple(o.shape) for o in outs] == [(2, 5, 32, 24)] * 3
    with pytest.raises(ValueError, match='multiples of 32'):
        model(torch.randn(1, 3, 64, 48))


# paper configurations, 16 MPII keypoints; the paper prints no counts
SIZES_M = {(50, ): 34.46, (101, ): 53.45, (152, ): 69.10,
           (101, 50): 87.92, (101, 50, 50): 122.39}


@pytest.mark.parametrize('depths', list(SIZES_M))
def test_parameter_counts(depths):
    params = count_params(ResNetMultiStage(depths=depths)) / 1e6
    assert params == pytest.approx(SIZES_M[depths], abs=0.01)


def test_single_stage_r50_is_simplebaseline_plus_the_encoder_skips():
    """Sanity anchor: MMPose's SimpleBaseline-R50 (ResNet-50 + the same
    three deconvolutions + 1x1 conv) plus the three 1x1-conv+BN skips."""
    ours = ResNetMultiStage(depths=(50, ), num_keypoints=17)
    simple = MODELS.build(dict(
        type='TopdownPoseEstimator', backbone=dict(type='ResNet', depth=50),
        head=dict(type='HeatmapHead', in_channels=2048, out_channels=17)))
    skips = sum(count_params(m) for m in ours.decoders[0].laterals)
    assert count_params(ours) == count_params(simple) + skips
    assert count_params(simple) == pytest.approx(34.0e6, rel=0.01)


def test_later_stages_read_the_previous_features_and_predictions():
    model = tiny((50, 50, 50), prediction_link='input')
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        before = model(x)
        # the 'input' tock: predictions of stage 0 feed stage 1's input
        model.tocks[0].conv.weight.add_(1.)
        after = model(x)
    assert torch.equal(before[0], after[0])
    assert not torch.allclose(before[1], after[1])
    # later stages have no stem of their own (only the first layer's input
    # comes from the previous stage)
    assert hasattr(model.encoders[0], 'conv1')
    assert not hasattr(model.encoders[1], 'conv1')


def test_encoders_start_from_local_checkpoints_only(tmp_path):
    from mmpose.models.backbones import ResNet
    torch.manual_seed(1)
    resnet = ResNet(depth=50, stem_channels=8, base_channels=8)
    path = tmp_path / 'r50.pth'
    torch.save(resnet.state_dict(), path)
    model = ResNetMultiStage(depths=(50, 50), encoder_checkpoints=[
        str(path), None], **TINY)
    model.init_weights()
    assert torch.equal(model.encoders[0].conv1.weight, resnet.conv1.weight)
    assert torch.equal(model.encoders[0].layer4[2].conv3.weight,
                       resnet.layer4[2].conv3.weight)
    assert not torch.equal(model.encoders[1].layer1[0].conv1.weight,
                           resnet.layer1[0].conv1.weight)
    with pytest.raises(ValueError, match='local path'):
        ResNetMultiStage(encoder_checkpoints=['torchvision://resnet50'])


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


def test_decoding_rule_on_a_hand_made_heatmap():
    heatmap = np.zeros((1, 8, 8), np.float32)
    heatmap[0, 3, 4] = 1.0   # max at (x=4, y=3)
    heatmap[0, 3, 5] = 0.6   # second max at (x=5, y=3)
    heatmap[0, 6, 1] = 0.3
    printed, scores = second_max_decode(heatmap, 0.25)
    assert printed.tolist() == [[4.75, 3.0]]  # 0.25 * 4 + 0.75 * 5
    common, _ = second_max_decode(heatmap, 0.75)
    assert common.tolist() == [[4.25, 3.0]]
    # max_weight=1: plain argmax, no quarter shift (the DC paper's test)
    argmax, _ = second_max_decode(heatmap, 1.0)
    assert argmax.tolist() == [[4.0, 3.0]]
    assert scores.tolist() == [1.0]
    codec = KEYPOINT_CODECS.build(dict(
        type='SecondMaxHeatmap', input_size=(32, 32), heatmap_size=(8, 8),
        sigma=2, max_weight=0.25))
    keypoints, _ = codec.decode(heatmap)
    assert keypoints.tolist() == [[[19.0, 12.0]]]  # x4 to input pixels


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


def test_stage_growth_keeps_the_first_stages_bit_identical(tmp_path):
    three = tiny((50, 50, 50))
    four = tiny((50, 50, 50, 50))
    grown = grow_state_dict(three.state_dict(), four.state_dict())
    four.load_state_dict(grown)
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        old, new = three(x), four(x)
    for k in range(3):
        assert torch.equal(old[k], new[k])
    assert len(new) == 4 and torch.isfinite(new[3]).all()
    # the new stage starts from the last old one
    assert torch.equal(four.encoders[3].layer1[0].conv1.weight,
                       three.encoders[2].layer1[0].conv1.weight)
    with pytest.raises(ValueError, match='grows into'):
        grow_state_dict(three.state_dict(), three.state_dict())


def test_grow_stages_tool(tmp_path):
    base = ROOT / 'configs/resnet_multi_stage/'
    small = "model = dict(backbone=dict(base_channels=8, channels=16, " \
            "depths={}), head=dict(num_stages={}))\n"
    for name, depths in (('two', (50, 50)), ('three', (50, 50, 50))):
        (tmp_path / f'{name}.py').write_text(
            f"_base_ = ['{base}/td-hm_res101-2stage_8xb32-210e_"
            f"mpii-256x256.py']\n" + small.format(depths, len(depths)))
    cfg = Config.fromfile(tmp_path / 'two.py')
    model = MODELS.build(cfg.model)
    torch.save(dict(state_dict=model.state_dict()), tmp_path / 'two.pth')
    python_tool(ROOT / 'tools/grow_stages.py', tmp_path / 'two.pth',
                tmp_path / 'three.py', tmp_path / 'three.pth')
    state = torch.load(tmp_path / 'three.pth')['state_dict']
    bigger = MODELS.build(Config.fromfile(tmp_path / 'three.py').model)
    bigger.load_state_dict(state)
    for key, value in model.state_dict().items():
        assert torch.equal(state[key], value)


def test_output_tock_adds_the_previous_predictions_to_the_next():
    model = tiny((50, 50), prediction_link='output')
    model.eval()  # (MMPose's BaseBackbone.train returns None)
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        stage0, _ = model(x)
        # a tock of identity weights: stage 1 = its own head + stage 0
        tock = model.tocks[0]
        tock.weight.zero_()
        tock.weight[:, :, 0, 0] = torch.eye(tock.weight.shape[0])
        tock.bias.zero_()
        new0, new1 = model(x)
        tock.weight.zero_()
        plain0, plain1 = model(x)
    assert torch.equal(new0, stage0) and torch.equal(plain0, stage0)
    # stage 1's input does not see the predictions in this mode
    assert torch.allclose(new1, plain1 + stage0, atol=1e-6)
    assert len(model.tocks) == 1 and model.tocks[0].in_channels == \
        model.tocks[0].out_channels


def test_unknown_prediction_link_is_refused():
    with pytest.raises(ValueError, match='prediction_link'):
        ResNetMultiStage(prediction_link='both')
