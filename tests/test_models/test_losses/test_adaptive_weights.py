"""Algorithm 1 of the MSSH paper: adaptive per-keypoint weights."""
import pytest
import torch

from mmpose_hourglass_ext.models.losses import adaptive_keypoint_weights

# 3 stacks x 4 keypoints, computed by hand (beta_1 = 0.25 / 0.75 = 1/3,
# w_2 ~ 0.25 * (1/3)^(0.9, 0.8, 0.7, 0.6), normalised; then
# Loss_2 = 0.258198, beta_2 = 0.348069, ...)
LOSSES = torch.tensor([[0.1, 0.2, 0.3, 0.4],
                       [0.2, 0.1, 0.4, 0.3],
                       [0.3, 0.3, 0.3, 0.3]])
EXPECTED = torch.tensor([[0.25, 0.25, 0.25, 0.25],
                         [0.210427, 0.234862, 0.262135, 0.292575],
                         [0.196542, 0.197394, 0.302376, 0.303687]])


def test_algorithm_1_on_hand_computed_values():
    weights = adaptive_keypoint_weights(LOSSES)
    assert torch.allclose(weights, EXPECTED, atol=1e-6)


def test_weights_sum_to_one_and_hard_keypoints_gain():
    torch.manual_seed(0)
    losses = torch.rand(8, 16) * 0.4
    weights = adaptive_keypoint_weights(losses)
    assert torch.allclose(weights.sum(1), torch.ones(8))
    # after stack j, the order of the weight change follows the loss order
    change = weights[1] / weights[0]
    assert torch.equal(change.argsort(), losses[0].argsort())


def test_the_last_stacks_losses_do_not_matter():
    other = LOSSES.clone()
    other[-1] = torch.tensor([0.9, 0.0, 0.5, 0.1])
    assert torch.equal(adaptive_keypoint_weights(other),
                       adaptive_keypoint_weights(LOSSES))


@pytest.mark.parametrize('losses', [
    torch.zeros(3, 4),                                  # Loss_j -> 0
    torch.full((3, 4), 1.0),                            # Loss_j -> 1
    torch.tensor([[0., 1., 0., 1.]] * 3),               # mixed extremes
    torch.tensor([[float('inf'), -1., 2., 0.5]] * 3),   # out of range
    torch.rand(3, 4).half(),                            # fp16
    torch.full((3, 4), 1e-8).half(),                    # fp16 underflow
])
def test_edge_cases_stay_finite_and_normalised(losses):
    weights = adaptive_keypoint_weights(losses)
    assert weights.dtype == torch.float32
    assert torch.isfinite(weights).all() and (weights >= 0).all()
    assert torch.allclose(weights.sum(1), torch.ones(3))


def test_a_stack_loss_over_one_half_keeps_the_weights():
    losses = torch.tensor([[0.6, 0.7, 0.8, 0.9], [0.1, 0.2, 0.3, 0.4]])
    weights = adaptive_keypoint_weights(losses)
    assert torch.allclose(weights[1], weights[0])


def test_keypoint_without_target_moves_only_by_normalisation():
    valid = torch.tensor([True, True, True, False])
    losses = LOSSES.clone()
    losses[:, 3] = 0.99  # would gain weight if it counted
    weights = adaptive_keypoint_weights(losses, valid)
    w, l = torch.full((4, ), 0.25), losses[0]
    stack_loss = (w[:3] * l[:3]).sum() / w[:3].sum()
    beta = stack_loss / (1 - stack_loss)
    raw = w * beta ** (1 - torch.cat([l[:3], stack_loss.view(1)]))
    assert torch.allclose(weights[1], raw / raw.sum(), atol=1e-6)
    # no valid keypoint at all: the weights carry over
    none = adaptive_keypoint_weights(LOSSES, torch.zeros(4, dtype=bool))
    assert torch.allclose(none, torch.full((3, 4), 0.25))


def test_no_gradient_flows_through_the_weights():
    losses = LOSSES.clone().requires_grad_()
    weights = adaptive_keypoint_weights(losses)
    assert not weights.requires_grad
