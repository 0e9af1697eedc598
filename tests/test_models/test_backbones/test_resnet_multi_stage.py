"""ResNet-encoder multi-stage network (Su et al.): shapes, sizes, per-stage
targets and chaining (the head, codec and stage growth have their own
tests under test_models/test_heads, test_codecs, test_utils)."""
import pytest
import torch
from mmpose.registry import MODELS

from mmpose_hourglass_ext.utils.analysis import count_params
from mmpose_hourglass_ext.models.backbones import ResNetMultiStage


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
