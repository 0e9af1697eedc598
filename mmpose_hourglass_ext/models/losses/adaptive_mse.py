"""Heatmap MSE with the MSSH paper's adaptive per-keypoint stack weights
(seed 000, Sec. 4, Eq. 3 and Algorithm 1), usable by any MMPose head that
supervises its stages one after the other with one loss module.

MMPose's multi-stage heads (``CPMHead``, ``MSPNHead`` -- which RSN configs
use too) call their loss once per stage, stage 0 first, inside one
``loss()`` call. Algorithm 1 needs stage j's losses to weight stage j+1, so
this loss carries the weights from one call to the next and starts again
at uniform weights every ``num_stages`` calls. Set ``num_stages`` to the
number of calls per batch: the stacks (``CPMHead``) or stages x units
(``MSPNHead``). Heads that loop otherwise cannot use it.

Per stage j with prediction P, target T and keypoint mask M (B, K, H, W):

* raw loss of keypoint i: ``mse_i = mean_{b,h,w} M (P - T)^2`` -- with
  uniform weights ``sum_i (1/K) mse_i`` is exactly MMPose's
  ``KeypointMSELoss``, so learning rates of MSE recipes carry over;
* normalised loss for Algorithm 1, in [0, 1) as AdaBoost.R2 needs:
  ``Loss_{j,i} = sum M (P - T)^2 / sum M T^2`` -- the error relative to
  predicting all zeros, a scale-free number that does not depend on the
  heatmap's sigma or size (the paper's reason for weighting: stages see
  heatmaps of different spread). An all-zero prediction scores 1, a
  perfect one 0; values >= 1 are clipped by the weight update.
* returned loss: ``sum_i w_{j,i} mse_i`` (Eq. 3, the MSE averaged over
  pixels instead of summed, as MMPose does).

Weights are computed per batch, not per sample: a keypoint's difficulty is
a property of the keypoint type over many people, and one sample's loss
for one keypoint is dominated by its own occlusion or annotation noise
(and often has no target at all). They are detached, so gradients reach
the network only through the raw losses. Keypoints with no target in the
batch (mask 0 everywhere or an empty heatmap) do not steer the weights.
Everything runs in float32, so fp16 training stays finite.

The mean weight of every stage and keypoint since the last read is kept in
``weight_sum`` / ``weight_count`` for :class:`AdaptiveWeightLoggerHook`.
"""
from typing import Optional

import torch
from mmpose.models.losses import KeypointMSELoss
from mmpose.registry import MODELS
from torch import Tensor

from .adaptive_weights import EPS, adaptive_weight_step


@MODELS.register_module()
class AdaptiveWeightedMSELoss(KeypointMSELoss):
    """Per-keypoint adaptive stage weights on top of ``KeypointMSELoss``.

    Args:
        num_stages: loss calls per batch (stacks; stages x units for MSPN).
        adaptive: False keeps uniform weights 1/K at every stage (then the
            loss equals ``KeypointMSELoss``): the paper's baseline, for
            ablations with everything else unchanged.
        use_target_weight, skip_empty_channel, loss_weight: as in
            ``KeypointMSELoss``.
        eps: guard of the weight update (see ``adaptive_weights``).
    """

    def __init__(self,
                 num_stages: int,
                 adaptive: bool = True,
                 use_target_weight: bool = True,
                 skip_empty_channel: bool = False,
                 loss_weight: float = 1.,
                 eps: float = EPS):
        super().__init__(use_target_weight=use_target_weight,
                         skip_empty_channel=skip_empty_channel,
                         loss_weight=loss_weight)
        if num_stages < 1:
            raise ValueError(f'num_stages must be >= 1, got {num_stages}')
        self.num_stages = num_stages
        self.adaptive = adaptive
        self.eps = eps
        self._stage = 0
        self._weights: Optional[Tensor] = None
        self.weight_sum: Optional[Tensor] = None  # (num_stages, K)
        self.weight_count = 0

    def reset(self) -> None:
        """Start the next call at stage 0 (done automatically every
        ``num_stages`` calls; call it if a head's loop was interrupted)."""
        self._stage, self._weights = 0, None

    def forward(self,
                output: Tensor,
                target: Tensor,
                target_weights: Optional[Tensor] = None,
                mask: Optional[Tensor] = None) -> Tensor:
        if output.shape != target.shape:
            raise ValueError(
                f'prediction {tuple(output.shape)} and target '
                f'{tuple(target.shape)} differ: the head must return one '
                'heatmap per keypoint at the target size')
        num_keypoints = output.shape[1]
        m = self._get_mask(target, target_weights, mask)
        m = torch.ones_like(target) if m is None else m.expand_as(target)
        m = m.float()
        err = (output.float() - target.float())**2 * m
        dims = [d for d in range(err.ndim) if d != 1]
        raw = err.mean(dim=dims)  # (K,) per-keypoint KeypointMSELoss
        if self._stage == 0 or self._weights is None:
            self._weights = raw.new_full((num_keypoints, ),
                                         1. / num_keypoints)
        weights = self._weights
        loss = (weights * raw).sum() * self.loss_weight
        self._record(weights)

        if self.adaptive and self._stage < self.num_stages - 1:
            energy = ((target.float()**2) * m).sum(dim=dims).detach()
            normalised = err.sum(dim=dims).detach() / energy
            # 0/0 is NaN: a keypoint with no target counts as invalid
            normalised = torch.where(energy > 0, normalised,
                                     torch.full_like(normalised, float('nan')))
            self._weights = adaptive_weight_step(weights, normalised,
                                                 eps=self.eps)
        self._stage = (self._stage + 1) % self.num_stages
        if self._stage == 0:
            self._weights = None
        return loss.to(output.dtype)

    @torch.no_grad()
    def _record(self, weights: Tensor) -> None:
        if (self.weight_sum is None
                or self.weight_sum.shape[1] != weights.numel()):
            self.weight_sum = weights.new_zeros(self.num_stages,
                                                weights.numel())
            self.weight_count = 0
        self.weight_sum[self._stage] += weights.detach().float()
        if self._stage == self.num_stages - 1:
            self.weight_count += 1

    def pop_mean_weights(self) -> Optional[Tensor]:
        """``(num_stages, K)`` mean weights since the last pop, or None."""
        if self.weight_sum is None or self.weight_count == 0:
            return None
        mean = (self.weight_sum / self.weight_count).cpu()
        self.weight_sum.zero_()
        self.weight_count = 0
        return mean
