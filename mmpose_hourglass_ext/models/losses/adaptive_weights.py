"""Algorithm 1 of the MSSH paper (Sec. 4): per-keypoint loss
weights that move from stack to stack towards the hard keypoints, in the
manner of AdaBoost regression.

    w_{1,i}   = 1 / N
    Loss_j    = sum_i w_{j,i} Loss_{j,i}
    beta_j    = Loss_j / (1 - Loss_j)
    w_{j+1,i} = w_{j,i} beta_j^(1 - Loss_{j,i}) / Z_j,  Z_j: sum_i w_{j+1,i} = 1

With beta_j < 1 a keypoint with a larger Loss_{j,i} keeps more of its
weight, so hard keypoints gain weight. The formula needs Loss_{j,i} in
[0, 1); the caller normalises (see the loss that uses this).

Guards, so the weights are finite for any input:
* losses are clipped to [0, 1 - eps];
* beta_j is clipped to [eps, 1]: Loss_j -> 0 would make every beta^(...)
  vanish (0/0 after normalising), and Loss_j >= 0.5 gives beta_j >= 1,
  which would move weight to the *easy* keypoints -- AdaBoost.R2 stops
  boosting there; we keep the weights unchanged (beta_j = 1);
* the update runs in log space in float32 (a softmax), whatever the input
  dtype (fp16 underflows beta^(1-L) for small beta);
* a keypoint without a target in the batch (``valid`` False) takes the
  stack's mean loss Loss_j (over the valid ones), so its weight moves only
  by normalisation, not by a loss it never had.
"""
from typing import Optional

import torch

EPS = 1e-6


def adaptive_keypoint_weights(losses: torch.Tensor,
                              valid: Optional[torch.Tensor] = None,
                              eps: float = EPS) -> torch.Tensor:
    """Weights of every stack from the stacks' per-keypoint losses.

    Args:
        losses: ``(J, N)`` normalised losses ``Loss_{j,i}`` of J stacks and
            N keypoints, expected in [0, 1). Detached: no gradient flows
            through the weights.
        valid: optional ``(N,)`` or ``(J, N)`` bool, False for keypoints
            with no target.

    Returns:
        ``(J, N)`` float32 weights, each row summing to 1; row 0 is 1/N.
    """
    losses = losses.detach().float()
    num_stacks, num_keypoints = losses.shape
    if valid is None:
        valid = torch.ones_like(losses, dtype=torch.bool)
    valid = valid.to(losses.device).bool().expand_as(losses)
    weights = [losses.new_full((num_keypoints, ), 1. / num_keypoints)]
    for j in range(num_stacks - 1):
        weights.append(
            adaptive_weight_step(weights[-1], losses[j], valid[j], eps))
    return torch.stack(weights)


def adaptive_weight_step(weights: torch.Tensor,
                         losses: torch.Tensor,
                         valid: Optional[torch.Tensor] = None,
                         eps: float = EPS,
                         return_beta: bool = False):
    """One line of Algorithm 1: ``w_{j+1}`` from ``w_j`` and the ``(N,)``
    normalised losses ``Loss_{j,i}`` of stack j (detached, float32 out).
    With ``return_beta`` also the clipped ``beta_j`` (a 0-d tensor; 1 means
    the no-update case, NaN that no keypoint had a target)."""
    w = weights.detach().float()
    loss = losses.detach().float()
    # NaN (0/0: a keypoint without target energy) is "no target"; +inf is
    # the hardest keypoint and clips to 1 - eps like any loss >= 1
    ok = ~torch.isnan(loss)
    loss = loss.nan_to_num(0.).clamp(0., 1. - eps)
    if valid is not None:
        ok = ok & valid.to(loss.device).bool()
    if not ok.any():  # nothing to learn from: carry the weights over
        return (w, w.new_tensor(float('nan'))) if return_beta else w
    stack_loss = (w * loss)[ok].sum() / w[ok].sum()
    loss = torch.where(ok, loss, stack_loss)
    beta = (stack_loss / (1. - stack_loss)).clamp(eps, 1.)
    log_w = torch.log(w.clamp_min(1e-30)) + (1. - loss) * torch.log(beta)
    new = torch.softmax(log_w, dim=0)
    return (new, beta) if return_beta else new
