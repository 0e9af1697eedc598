"""The backbones' output modes, the check that the head fits them (at the
first forward, with the numbers and the settings to change), norm_cfg in
every norm layer, and strict loading through MMPose's non-strict loaders.
"""
import warnings

import pytest
import torch

from conftest import SMALL_BACKBONES
from mmpose_hourglass_ext.models.backbones import (ResidualStackedHourglass,
                                                   StackedHourglass)

SMALL = SMALL_BACKBONES


def build(family, **kwargs):
    from mmpose.registry import MODELS
    return MODELS.build(dict(SMALL[family], type=family, **kwargs))


def estimator(backbone: dict, head: dict):
    """A TopdownPoseEstimator as MMPose's configs build it."""
    from mmpose.registry import MODELS
    codec = dict(type='MSRAHeatmap', input_size=(128, 128),
                 heatmap_size=(32, 32), sigma=2)
    return MODELS.build(dict(
        type='TopdownPoseEstimator', backbone=backbone,
        head=dict(dict(loss=dict(type='KeypointMSELoss'), decoder=codec),
                  **head)))


@pytest.mark.parametrize('family', sorted(SMALL))
def test_features_mode_returns_every_stage_and_leaves_no_unused_weight(
        family):
    x = torch.randn(2, 3, 128, 128)
    heatmaps = build(family)(x)
    model = build(family, out='features')
    features = model(x)
    assert [t.shape for t in heatmaps] == [(2, 16, 32, 32)] * 2
    assert [t.shape for t in features] == [(2, 16, 32, 32)] * 2
    assert model.out_channels == 16 and model.num_outputs == 2
    sum(f.square().mean() for f in features).backward()
    # DDP (find_unused_parameters=False) refuses weights without gradients
    assert [n for n, p in model.named_parameters() if p.grad is None] == []


@pytest.mark.parametrize('family', sorted(SMALL))
def test_sync_bn_reaches_every_norm_layer(family):
    model = build(family, norm_cfg=dict(type='SyncBN'))
    norms = [type(m).__name__ for m in model.modules()
             if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    assert norms and set(norms) == {'SyncBatchNorm'}


def test_every_backbone_defaults_to_the_same_keypoint_count():
    assert StackedHourglass().num_keypoints == 16
    assert ResidualStackedHourglass(channels=16, stem_channels=(8, 16),
                                    num_stacks=1).num_keypoints == 16


def test_unknown_output_mode_is_named():
    with pytest.raises(ValueError, match="out must be one of"):
        build('StackedHourglass', out='logits')


def test_multi_stage_features_refuse_the_output_link():
    with pytest.raises(ValueError, match="prediction_link='input'"):
        build('ResNetMultiStage', out='features', prediction_link='output')


def test_heatmap_head_on_heatmaps_names_every_setting_to_change():
    """MMPose's SimpleBaseline head on the paper-mode backbone (the failure
    users met: 'expected input ... to have 2048 channels, but got 16')."""
    model = estimator(
        dict(type='SoftGatedHourglass', num_keypoints=16,
             **SMALL['SoftGatedHourglass']),
        dict(type='HeatmapHead', in_channels=2048, out_channels=16))
    with pytest.raises(ValueError) as err:
        model(torch.randn(1, 3, 128, 128), None, mode='tensor')
    msg = str(err.value)
    assert "SoftGatedHourglass (out='heatmaps') gives 2 stage(s) x 16" in msg
    assert 'in_channels=16 (is 2048)' in msg
    assert "out='features'" in msg and 'docs/drop_in.md' in msg


def test_deconvolutions_that_overshoot_the_heatmap_size_are_named():
    model = estimator(
        dict(type='StackedHourglass', num_keypoints=16, out='features',
             **SMALL['StackedHourglass']),
        dict(type='HeatmapHead', in_channels=16, out_channels=16))
    with pytest.raises(ValueError) as err:
        model(torch.randn(1, 3, 128, 128), None, mode='tensor')
    assert ('deconv_out_channels=None (its deconvolutions enlarge the 32x32'
            ' maps 8x to 256x256, the codec\'s heatmap_size is (32, 32))'
            in str(err.value))


def test_cpm_head_stage_count_and_final_layer_are_named():
    model = estimator(
        dict(type='DenseStackedHourglass', num_keypoints=17,
             **SMALL['DenseStackedHourglass']),
        dict(type='CPMHead', in_channels=256, out_channels=17, num_stages=1,
             deconv_out_channels=None))
    with pytest.raises(ValueError) as err:
        model(torch.randn(1, 3, 128, 128), None, mode='tensor')
    msg = str(err.value)
    for fix in ('in_channels=17 (is 256)', 'num_stages=2 (is 1)',
                'final_layer=None'):
        assert fix in msg


def test_fitting_heads_run_and_a_single_stage_head_on_heatmaps_warns():
    fits = estimator(
        dict(type='ResNetMultiStage', num_keypoints=16, out='features',
             **SMALL['ResNetMultiStage']),
        dict(type='CPMHead', in_channels=16, out_channels=16, num_stages=2))
    outs = fits(torch.randn(1, 3, 128, 128), None, mode='tensor')
    assert [o.shape for o in outs] == [(1, 16, 32, 32)] * 2
    last_only = estimator(
        dict(type='StackedHourglass', num_keypoints=16,
             **SMALL['StackedHourglass']),
        dict(type='HeatmapHead', in_channels=16, out_channels=16,
             deconv_out_channels=None, final_layer=None))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        last_only(torch.randn(1, 3, 128, 128), None, mode='tensor')
    assert any('the other 1 stage(s) get no supervision' in str(w.message)
               for w in caught)


def test_another_models_weights_are_refused_by_mmengines_loader(tmp_path):
    """MMPose's inferencer and tools load through mmengine with
    strict=False; the backbone refuses what does not fit anyway."""
    from mmengine.runner.checkpoint import load_checkpoint
    cfg = dict(type='StackedHourglass', num_keypoints=16,
               **SMALL['StackedHourglass'])
    head = dict(type='CPMHead', in_channels=16, out_channels=16,
                num_stages=2, deconv_out_channels=None, final_layer=None)
    model = estimator(cfg, head)
    path = tmp_path / 'other.pth'
    other = estimator(dict(cfg, num_keypoints=14),
                      dict(head, in_channels=14, out_channels=14))
    torch.save(dict(state_dict=other.state_dict()), path)
    with pytest.raises(ValueError) as err:
        load_checkpoint(model, str(path), map_location='cpu', strict=False)
    assert 'wrong size: backbone.heatmaps.0.bias: checkpoint (14,)' in str(
        err.value)
    assert 'strict_load=False' in str(err.value)
    # the same model's weights load, and strict_load=False lets a partial
    # state through on purpose
    torch.save(dict(state_dict=estimator(cfg, head).state_dict()), path)
    load_checkpoint(model, str(path), map_location='cpu', strict=False)
    loose = estimator(dict(cfg, strict_load=False), head)
    partial = {k: v for k, v in model.state_dict().items()
               if not k.startswith('backbone.heatmaps')}
    loose.load_state_dict(partial, strict=False)


def test_drop_in_doc_shows_both_diffs():
    from conftest import ROOT
    doc = (ROOT / 'docs' / 'drop_in.md').read_text()
    for text in ('td-hm_res50_8xb64-210e_mpii-256x256.py',
                 'td-hm_hourglass52_8xb32-210e_coco-256x256.py',
                 "out='features'", 'deconv_out_channels=None',
                 'num_stages='):
        assert text in doc


def test_config_scope_resolves_from_any_working_directory(tmp_path):
    """``_base_ = ['mmpose_hourglass_ext::...']`` from a user's own folder
    (the editable install of tools/setup_env.sh included)."""
    import sys

    from conftest import run
    (tmp_path / 'mine.py').write_text(
        "_base_ = ['mmpose_hourglass_ext::zoo/"
        "td-hm_sghg2-64_1xb16-10000it_lsp+lspet-128x128.py']\n"
        "model = dict(backbone=dict(channels=32))\n")
    out = run([sys.executable, '-c',
               'import mmpose_hourglass_ext\n'
               'from mmengine.config import Config\n'
               "cfg = Config.fromfile('mine.py')\n"
               'print(cfg.model.backbone.type, cfg.model.backbone.channels,'
               ' cfg.train_cfg.max_iters)'], cwd=tmp_path)
    assert 'SoftGatedHourglass 32 10000' in out
