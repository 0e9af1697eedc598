"""AdaptiveWeightedMSELoss: Algorithm 1 on heatmaps, stage by stage, as
MMPose's multi-stage heads call it."""
import math

import pytest
import torch
from mmengine.structures import InstanceData, PixelData
from mmpose.models.losses import KeypointMSELoss
from mmpose.registry import MODELS
from mmpose.structures import PoseDataSample

from mmpose_hourglass_ext.models.losses import AdaptiveWeightedMSELoss

from test_adaptive_weights import EXPECTED, LOSSES


def gaussian_targets(batch=2, keypoints=4, size=16, sigma=2.):
    """(B, K, H, W) Gaussian heatmaps at different places."""
    ys, xs = torch.meshgrid(torch.arange(size), torch.arange(size),
                            indexing='ij')
    maps = torch.zeros(batch, keypoints, size, size)
    for b in range(batch):
        for k in range(keypoints):
            cy, cx = 3 + 2 * k, 4 + 3 * b + k
            maps[b, k] = torch.exp(-((ys - cy)**2 + (xs - cx)**2) /
                                   (2 * sigma**2))
    return maps


def predictions_with_losses(target, normalised):
    """Predictions (1 - a_i) * T, whose error relative to an all-zero
    prediction is a_i^2 = ``normalised[i]`` for every keypoint."""
    a = normalised.sqrt().view(1, -1, 1, 1)
    return (1 - a) * target


def test_stages_follow_algorithm_1_on_hand_computed_values():
    target = gaussian_targets()
    loss_fn = AdaptiveWeightedMSELoss(num_stages=3, normalisation='energy')
    mse = KeypointMSELoss(use_target_weight=True)
    tw = torch.ones(2, 4)
    for stage in range(3):
        pred = predictions_with_losses(target, LOSSES[stage])
        loss = loss_fn(pred, target, tw)
        per_keypoint = ((pred - target)**2).mean(dim=(0, 2, 3))
        # Eq. 3 with the weights of the hand-computed Algorithm 1 case
        expected = (EXPECTED[stage] * per_keypoint).sum()
        assert torch.allclose(loss, expected, rtol=1e-5)
        if stage == 0:
            assert torch.allclose(loss, mse(pred, target, tw), rtol=1e-6)
    # the next batch starts again from uniform weights
    pred = predictions_with_losses(target, LOSSES[1])
    assert torch.allclose(loss_fn(pred, target, tw), mse(pred, target, tw),
                          rtol=1e-6)


def test_uniform_option_is_keypoint_mse_at_every_stage():
    target = gaussian_targets()
    tw = torch.tensor([[1., 0., 1., 1.], [1., 1., 0.5, 1.]])
    loss_fn = AdaptiveWeightedMSELoss(num_stages=3, adaptive=False)
    mse = KeypointMSELoss(use_target_weight=True)
    for stage in range(3):
        pred = predictions_with_losses(target, LOSSES[stage])
        assert torch.allclose(loss_fn(pred, target, tw),
                              mse(pred, target, tw), rtol=1e-6)


def test_harder_keypoints_get_larger_gradients_at_the_next_stage():
    target = gaussian_targets()
    loss_fn = AdaptiveWeightedMSELoss(num_stages=2, normalisation='energy')
    tw = torch.ones(2, 4)
    loss_fn(predictions_with_losses(target, LOSSES[0]), target, tw)
    pred = (target + 0.1).requires_grad_()  # same error on every keypoint
    loss_fn(pred, target, tw).backward()
    # d loss / d pred_i = 2 w_i (pred - target) / (B H W): only the
    # detached weights differ between keypoints
    per_keypoint = pred.grad.sum(dim=(0, 2, 3))
    assert torch.allclose(per_keypoint / per_keypoint.sum(), EXPECTED[1],
                          atol=1e-6)
    # keypoint 3 had the largest stage-0 loss (0.4)
    assert per_keypoint.argmax() == 3


def test_gradients_flow_only_through_the_losses():
    target = gaussian_targets()
    loss_fn = AdaptiveWeightedMSELoss(num_stages=2)
    tw = torch.ones(2, 4)
    first = predictions_with_losses(target, LOSSES[0]).requires_grad_()
    loss_fn(first, target, tw)
    second = torch.zeros_like(target, requires_grad=True)
    loss_fn(second, target, tw).backward()
    # stage 1's loss set stage 2's weights but sends no gradient to stage 1
    assert first.grad is None and second.grad is not None


@pytest.mark.parametrize('normalisation', ['share', 'max', 'energy'])
@pytest.mark.parametrize('case', [
    'perfect', 'all_zero_prediction', 'huge_prediction', 'no_targets',
    'one_keypoint_without_target', 'fp16'])
def test_edge_cases_give_finite_losses_and_gradients(case, normalisation):
    target = gaussian_targets()
    tw = torch.ones(2, 4)
    preds = [predictions_with_losses(target, LOSSES[j]) for j in range(3)]
    if case == 'perfect':
        preds = [target.clone() for _ in range(3)]
    elif case == 'all_zero_prediction':
        preds = [torch.zeros_like(target) for _ in range(3)]
    elif case == 'huge_prediction':
        preds = [target * 1e4 for _ in range(3)]
    elif case == 'no_targets':
        tw = torch.zeros(2, 4)
    elif case == 'one_keypoint_without_target':
        tw[:, 2] = 0
    elif case == 'fp16':
        preds, target = [p.half() for p in preds], target.half()
    loss_fn = AdaptiveWeightedMSELoss(num_stages=3,
                                      normalisation=normalisation)
    for pred in preds:
        pred = pred.clone().requires_grad_()
        loss = loss_fn(pred, target, tw)
        loss.backward()
        # float32 even for fp16 inputs: fp16 would round 1e-8 to 0
        assert loss.dtype == torch.float32
        assert math.isfinite(loss.item()) and loss.item() >= 0
        assert torch.isfinite(pred.grad).all()
    mean = loss_fn.pop_mean_weights()
    assert torch.isfinite(mean).all()
    assert torch.allclose(mean.sum(1), torch.ones(3))


def test_keypoint_without_target_does_not_steer_the_weights():
    target = gaussian_targets()
    tw = torch.ones(2, 4)
    tw[:, 3] = 0
    loss_fn = AdaptiveWeightedMSELoss(num_stages=2, normalisation='energy')
    losses = LOSSES[0].clone()
    losses[3] = 0.99  # would gain weight if it counted
    loss_fn(predictions_with_losses(target, losses), target, tw)
    loss_fn(target, target, tw)
    weights = loss_fn.pop_mean_weights()[1]
    # the three valid keypoints keep the order of their losses and the
    # one without target moves only by normalisation (takes Loss_j)
    assert weights[0] < weights[1] < weights[2]
    assert weights[0] < weights[3] < weights[2]


def test_mean_weights_are_recorded_per_stage_and_reset_on_pop():
    target = gaussian_targets()
    loss_fn = AdaptiveWeightedMSELoss(num_stages=3, normalisation='energy')
    for _ in range(2):  # two batches
        for stage in range(3):
            loss_fn(predictions_with_losses(target, LOSSES[stage]), target,
                    torch.ones(2, 4))
    assert torch.allclose(loss_fn.pop_mean_weights(), EXPECTED, atol=1e-5)
    assert loss_fn.pop_mean_weights() is None


def test_mmpose_cpm_model_trains_with_the_loss():
    """MMPose's own CPM backbone + CPMHead, selecting the loss by config."""
    model = MODELS.build(dict(
        type='TopdownPoseEstimator',
        backbone=dict(type='CPM', in_channels=3, out_channels=4,
                      feat_channels=16, num_stages=3),
        head=dict(type='CPMHead', in_channels=4, out_channels=4,
                  num_stages=3, deconv_out_channels=None, final_layer=None,
                  loss=dict(type='AdaptiveWeightedMSELoss', num_stages=3))))
    assert isinstance(model.head.loss_module, AdaptiveWeightedMSELoss)
    torch.manual_seed(0)
    images = torch.randn(2, 3, 128, 128)
    target = gaussian_targets(size=16)
    samples = []
    for b in range(2):
        sample = PoseDataSample()
        sample.gt_fields = PixelData(heatmaps=target[b])
        sample.gt_instance_labels = InstanceData(
            keypoint_weights=torch.ones(1, 4))
        samples.append(sample)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    first = None
    for _ in range(5):
        losses = model.loss(images, samples)
        optimizer.zero_grad()
        losses['loss_kpt'].backward()
        optimizer.step()
        first = first if first is not None else losses['loss_kpt'].item()
        assert math.isfinite(losses['loss_kpt'].item())
    assert losses['loss_kpt'].item() < first
    mean = model.head.loss_module.pop_mean_weights()
    assert mean.shape == (3, 4)
    assert torch.allclose(mean.sum(1), torch.ones(3))


def test_bad_arguments_are_explained():
    with pytest.raises(ValueError, match='num_stages'):
        AdaptiveWeightedMSELoss(num_stages=0)
    with pytest.raises(ValueError, match='differ'):
        AdaptiveWeightedMSELoss(num_stages=1)(torch.zeros(1, 2, 4, 4),
                                              torch.zeros(1, 2, 8, 8))


def test_logger_hook_refuses_a_stage_count_that_does_not_match_the_head():
    from types import SimpleNamespace

    from mmpose_hourglass_ext.engine import AdaptiveWeightLoggerHook
    head = MODELS.build(dict(
        type='CPMHead', in_channels=4, out_channels=4, num_stages=3,
        deconv_out_channels=None, final_layer=None,
        loss=dict(type='AdaptiveWeightedMSELoss', num_stages=2)))
    with pytest.raises(ValueError, match="set the loss's num_stages to 3"):
        AdaptiveWeightLoggerHook().before_train(SimpleNamespace(model=head))
    head.loss_module.num_stages = 3
    AdaptiveWeightLoggerHook().before_train(SimpleNamespace(model=head))


def test_mmpose_mspn_head_calls_the_loss_per_stage_and_unit():
    """MSPNHead (MSPN, RSN) supervises stages x units, each with its own
    target level: the loss carries the weights through all of them."""
    from mmpose.structures import MultilevelPixelData
    head = MODELS.build(dict(
        type='MSPNHead', num_stages=1, num_units=2, out_shape=(16, 16),
        unit_channels=8, out_channels=4, level_indices=[0, 1],
        loss=dict(type='AdaptiveWeightedMSELoss', num_stages=2)))
    torch.manual_seed(0)
    feats = [[torch.randn(2, 8, 4, 4), torch.randn(2, 8, 8, 8)]]
    # two levels with different sigmas, as MSPN's multilevel targets
    levels = [gaussian_targets(size=16, sigma=s) for s in (3., 2.)]
    samples = []
    for b in range(2):
        sample = PoseDataSample()
        sample.gt_fields = MultilevelPixelData(
            heatmaps=[level[b] for level in levels])
        sample.gt_instance_labels = InstanceData(
            keypoint_weights=torch.ones(2, 1, 4))
        samples.append(sample)
    losses = head.loss(feats, samples)
    losses['loss_kpt'].backward()
    assert math.isfinite(losses['loss_kpt'].item())
    mean = head.loss_module.pop_mean_weights()
    assert mean.shape == (2, 4)
    assert torch.allclose(mean.sum(1), torch.ones(2))
    assert head.loss_module._stage == 0  # ready for the next batch


def offset_predictions(target, errors):
    """Predictions whose squared error is ``errors[b, k]`` at every pixel
    of person b, keypoint k."""
    return target + errors.sqrt()[:, :, None, None]


def test_max_normalisation_is_adaboost_r2_linear_loss_by_hand():
    # per-example errors e_{b,k}; D = max = 0.8
    errors = torch.tensor([[0.1, 0.4, 0.2], [0.3, 0.8, 0.2]])
    target = torch.full((2, 3, 4, 4), 0.5)
    tw = torch.ones(2, 3)
    loss_fn = AdaptiveWeightedMSELoss(num_stages=2, normalisation='max')
    pred = offset_predictions(target, errors)
    # e / D = [[.125, .5, .25], [.375, 1, .25]] -> Loss_{0,k} = [.25, .75, .25]
    normalised = loss_fn.normalised_losses((pred - target)**2, target, tw[
        ..., None, None].expand_as(target))
    assert torch.allclose(normalised, torch.tensor([0.25, 0.75, 0.25]))
    loss_fn(pred, target, tw)
    # Loss_0 = (0.25 + 0.75 + 0.25) / 3 = 0.416667, beta = 0.714286
    # w_1 ∝ beta^(1 - L) = [0.776970, 0.919323, 0.776970] / 2.473262
    #     = [0.314148, 0.371705, 0.314148]
    second = loss_fn(pred, target, tw)
    # Eq. 3 on the raw MSEs [0.2, 0.6, 0.2]
    assert second.item() == pytest.approx(
        0.314148 * 0.2 * 2 + 0.371705 * 0.6, rel=1e-5)
    stats = loss_fn.pop_stats()
    assert stats['beta'].item() == pytest.approx(0.714286, rel=1e-5)
    assert stats['no_update'].item() == 0
    assert torch.allclose(stats['weights'][1],
                          torch.tensor([0.314148, 0.371705, 0.314148]),
                          atol=1e-6)


def test_max_normalisation_skips_examples_without_target():
    errors = torch.tensor([[0.1, 0.4, 0.2], [0.3, 9.0, 0.2]])
    target = torch.full((2, 3, 4, 4), 0.5)
    tw = torch.ones(2, 3)
    tw[1, 1] = 0  # the 9.0 example has no target: neither D nor a mean
    tw[:, 2] = 0  # keypoint 2 has none at all
    mask = tw[..., None, None].expand_as(target)
    loss_fn = AdaptiveWeightedMSELoss(num_stages=2, normalisation='max')
    err = (offset_predictions(target, errors) - target)**2 * mask
    normalised = loss_fn.normalised_losses(err, target, mask)
    # D = 0.4; keypoint 0: (0.25 + 0.75) / 2, keypoint 1: 0.4 / 0.4
    assert torch.allclose(normalised[:2], torch.tensor([0.5, 1.0]))
    assert torch.isnan(normalised[2])


def test_no_update_case_is_counted():
    # energy normalisation of an all-zero prediction: Loss_j = 1 >= 0.5
    target = gaussian_targets()
    loss_fn = AdaptiveWeightedMSELoss(num_stages=3, normalisation='energy')
    for _ in range(3):
        loss_fn(torch.zeros_like(target), target, torch.ones(2, 4))
    stats = loss_fn.pop_stats()
    assert torch.equal(stats['no_update'], torch.ones(2))
    assert torch.equal(stats['beta'], torch.ones(2))
    assert torch.allclose(stats['weights'], torch.full((3, 4), 0.25))


def test_unknown_normalisation_is_refused():
    with pytest.raises(ValueError, match='normalisation'):
        AdaptiveWeightedMSELoss(num_stages=2, normalisation='sum')


def test_share_normalisation_by_hand():
    """The default: each keypoint's share of the stack's error."""
    errors = torch.tensor([[0.1, 0.4, 0.2], [0.3, 0.8, 0.2]])
    target = torch.full((2, 3, 4, 4), 0.5)
    tw = torch.ones(2, 3)
    loss_fn = AdaptiveWeightedMSELoss(num_stages=2)
    assert loss_fn.normalisation == 'share'
    pred = offset_predictions(target, errors)
    # per-keypoint error sums are proportional to [0.4, 1.2, 0.4]
    normalised = loss_fn.normalised_losses(
        (pred - target)**2, target, tw[..., None, None].expand_as(target))
    assert torch.allclose(normalised, torch.tensor([0.2, 0.6, 0.2]))
    loss_fn(pred, target, tw)
    # Loss_0 = 1/3 (uniform weights), beta = 0.5,
    # w_1 ∝ 0.5^(1 - L) = [0.574349, 0.757858, 0.574349] / 1.906556
    second = loss_fn(pred, target, tw)
    assert second.item() == pytest.approx(
        0.301249 * 0.2 * 2 + 0.397502 * 0.6, rel=1e-5)
    stats = loss_fn.pop_stats()
    assert stats['beta'].item() == pytest.approx(0.5)
    assert stats['no_update'].item() == 0
    # keypoints without a target take no share
    tw[:, 2] = 0
    mask = tw[..., None, None].expand_as(target)
    normalised = loss_fn.normalised_losses((pred - target)**2 * mask,
                                           target, mask)
    assert torch.allclose(normalised[:2], torch.tensor([0.25, 0.75]))
    assert torch.isnan(normalised[2])
