"""Every MMPose head family on our backbones' ``out='features'``: each
misfit is refused naming the setting to change, and with that setting
the model runs. docs/drop_in.md, "Other heads", lists the same settings."""
import pytest
import torch

C, K, SIZE = 32, 14, (64, 64)  # 64x64 input -> 16x16 features
BACKBONE = dict(type='SoftGatedHourglass', num_keypoints=K, num_stacks=2,
                channels=C, stem_channels=(16, C), out='features')
HEATMAP = dict(type='MSRAHeatmap', input_size=SIZE, heatmap_size=(16, 16),
               sigma=2)
INTEGRAL = dict(type='IntegralRegressionLabel', input_size=SIZE,
                heatmap_size=(16, 16), sigma=2)
GAU = dict(hidden_dims=32, s=16, expansion_factor=2, dropout_rate=0.,
           drop_path=0., act_fn='SiLU', use_rel_bias=False, pos_enc=False)

# family: (head as written for a 1/32 backbone, what the error names,
# the fix: head settings, neck)
CASES = {
    'heatmap (HeatmapHead)': (
        dict(type='HeatmapHead', in_channels=2048, out_channels=K,
             decoder=HEATMAP),
        r'in_channels=32 \(is 2048\).*deconv_out_channels=None',
        dict(in_channels=C, deconv_out_channels=None), None),
    'heatmap (CPMHead)': (
        dict(type='CPMHead', num_stages=1, in_channels=C, out_channels=K,
             deconv_out_channels=None, decoder=HEATMAP),
        r'num_stages=2 \(is 1\)', dict(num_stages=2), None),
    'regression (RegressionHead)': (
        dict(type='RegressionHead', in_channels=C, num_joints=K,
             decoder=dict(type='RegressionLabel', input_size=SIZE)),
        r"add model neck=dict\(type='GlobalAveragePooling'\)", {},
        dict(type='GlobalAveragePooling')),
    'regression (RLEHead)': (
        dict(type='RLEHead', in_channels=C, num_joints=K,
             decoder=dict(type='RegressionLabel', input_size=SIZE)),
        r"add model neck=dict\(type='GlobalAveragePooling'\)", {},
        dict(type='GlobalAveragePooling')),
    'integral (IntegralRegressionHead)': (
        dict(type='IntegralRegressionHead', in_channels=C,
             in_featuremap_size=(2, 2), num_joints=K, decoder=INTEGRAL),
        r'in_featuremap_size=\(16, 16\) and deconv_out_channels=None',
        dict(in_featuremap_size=(16, 16), deconv_out_channels=None), None),
    'integral (DSNTHead)': (
        dict(type='DSNTHead', in_channels=C, in_featuremap_size=(2, 2),
             num_joints=K, decoder=INTEGRAL),
        r'in_featuremap_size=\(16, 16\) and deconv_out_channels=None',
        dict(in_featuremap_size=(16, 16), deconv_out_channels=None), None),
    'SimCC (SimCCHead)': (
        dict(type='SimCCHead', in_channels=C, out_channels=K,
             input_size=SIZE, in_featuremap_size=(2, 2),
             decoder=dict(type='SimCCLabel', input_size=SIZE)),
        r'in_featuremap_size=\(16, 16\) \(is \(2, 2\)\)',
        dict(in_featuremap_size=(16, 16)), None),
    'SimCC (RTMCCHead)': (
        dict(type='RTMCCHead', in_channels=C, out_channels=K,
             input_size=SIZE, in_featuremap_size=(2, 2),
             simcc_split_ratio=2.0, final_layer_kernel_size=7, gau_cfg=GAU,
             decoder=dict(type='SimCCLabel', input_size=SIZE)),
        r'in_featuremap_size=\(16, 16\) \(is \(2, 2\)\)',
        dict(in_featuremap_size=(16, 16)), None),
}


def build(head, neck=None):
    from mmpose.registry import MODELS
    model = dict(type='TopdownPoseEstimator', backbone=BACKBONE, head=head,
                 data_preprocessor=dict(type='PoseDataPreprocessor'))
    if neck:
        model['neck'] = neck
    return MODELS.build(model)


@pytest.mark.parametrize('family', sorted(CASES))
def test_each_head_family_is_refused_with_its_fix_then_runs(family):
    head, message, fix, neck = CASES[family]
    with pytest.raises(ValueError, match=message) as err:
        build(head)(torch.randn(2, 3, *SIZE), None, mode='tensor')
    assert 'docs/drop_in.md' in str(err.value)
    model = build(dict(head, **fix), neck)
    out = model(torch.randn(2, 3, *SIZE), None, mode='tensor')
    out = out if isinstance(out, (tuple, list)) else [out]
    assert all(torch.isfinite(o).all() for o in out)


def test_mspn_head_is_refused_naming_what_to_use():
    head = dict(type='MSPNHead', num_stages=1, num_units=1,
                out_shape=(16, 16), unit_channels=C, out_channels=K,
                level_indices=[0], decoder=HEATMAP)
    with pytest.raises(ValueError, match='multi-unit feature pyramid.*'
                       r'CPMHead \(num_stages=2\)'):
        build(head)(torch.randn(2, 3, *SIZE), None, mode='tensor')
