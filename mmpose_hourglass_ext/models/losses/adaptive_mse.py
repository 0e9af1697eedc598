"""Heatmap MSE with the adaptive per-keypoint stack weights of the
Multi-Scale Stacked Hourglass (ICLR 2019 submission; Sec. 4, Eq. 3,
Algorithm 1), for any MMPose head that calls its loss once per stage,
stage 0 first, inside one ``loss()`` call (``CPMHead``, ``MSPNHead``,
``MultiStageHeatmapHead``).

Stage j's per-keypoint losses weight stage j+1 (AdaBoost.R2); the weights
start uniform again every ``num_stages`` calls, so ``num_stages`` must be
the number of calls per batch. With uniform weights the loss equals
MMPose's ``KeypointMSELoss``. ``normalisation`` ('share', 'max',
'energy') says how a keypoint's loss is brought into [0, 1] -- the paper
does not, all three are our readings; docs/models.md explains them and
why 'share' is the default. Weights are per batch, detached and computed
in float32; their running means (``weight_sum`` / ``weight_count``,
``beta_sum``, ``no_update``) feed :class:`AdaptiveWeightLoggerHook`.
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
        normalisation: ``'share'``, ``'max'`` (AdaBoost.R2's linear loss)
            or ``'energy'``: how the per-keypoint losses are brought to
            [0, 1] for Algorithm 1 (see above).
        eps: guard of the weight update (see ``adaptive_weights``).
    """

    NORMALISATIONS = ('share', 'max', 'energy')

    def __init__(self,
                 num_stages: int,
                 adaptive: bool = True,
                 use_target_weight: bool = True,
                 skip_empty_channel: bool = False,
                 loss_weight: float = 1.,
                 normalisation: str = 'share',
                 eps: float = EPS):
        super().__init__(use_target_weight=use_target_weight,
                         skip_empty_channel=skip_empty_channel,
                         loss_weight=loss_weight)
        if num_stages < 1:
            raise ValueError(f'num_stages must be >= 1, got {num_stages}')
        if normalisation not in self.NORMALISATIONS:
            raise ValueError(f'normalisation must be one of '
                             f'{self.NORMALISATIONS}, got {normalisation!r}')
        self.num_stages = num_stages
        self.adaptive = adaptive
        self.normalisation = normalisation
        self.eps = eps
        self._stage = 0
        self._weights: Optional[Tensor] = None
        self.weight_sum: Optional[Tensor] = None  # (num_stages, K)
        self.weight_count = 0
        self.beta_sum: Optional[Tensor] = None  # (num_stages - 1, )
        self.no_update: Optional[Tensor] = None  # (num_stages - 1, )

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
            normalised = self.normalised_losses(err.detach(), target, m)
            self._weights, beta = adaptive_weight_step(
                weights, normalised, eps=self.eps, return_beta=True)
            self._record_beta(beta)
        self._stage = (self._stage + 1) % self.num_stages
        if self._stage == 0:
            self._weights = None
        # float32 whatever the autocast dtype: in fp16 a 1e-8 loss is 0
        # and 300 is inf (the optimizer wrapper scales float32 fine)
        return loss

    @torch.no_grad()
    def normalised_losses(self, err: Tensor, target: Tensor,
                          mask: Tensor) -> Tensor:
        """``(K,)`` Loss_{j,i} in [0, 1] from the masked squared error
        ``err`` (B, K, ...); NaN for a keypoint without any target."""
        dims = [d for d in range(err.ndim) if d != 1]
        if self.normalisation == 'share':
            has_target = ((target.float()**2) * mask).sum(dim=dims) > 0
            per_keypoint = err.sum(dim=dims)
            total = per_keypoint[has_target].sum()
            share = (per_keypoint / total if total > 0 else
                     torch.zeros_like(per_keypoint))  # all exact: loss 0
            return share.masked_fill(~has_target, float('nan'))
        if self.normalisation == 'energy':
            energy = ((target.float()**2) * mask).sum(dim=dims)
            # 0/0 is NaN: a keypoint with no target counts as invalid
            return torch.where(energy > 0, err.sum(dim=dims) / energy,
                               torch.full_like(energy, float('nan')))
        # 'max': examples are (person, keypoint) pairs that have a target
        per_example = err.flatten(2).mean(-1)  # (B, K)
        has_target = ((target.float()**2) * mask).flatten(2).sum(-1) > 0
        count = has_target.sum(0)
        largest = per_example.masked_fill(~has_target, 0.).max()
        ratio = (per_example / largest if largest > 0 else
                 torch.zeros_like(per_example))  # all exact: loss 0
        mean = (ratio * has_target).sum(0) / count.clamp_min(1)
        return mean.masked_fill(count == 0, float('nan'))

    @torch.no_grad()
    def _record_beta(self, beta: Tensor) -> None:
        if self.beta_sum is None:
            self.beta_sum = beta.new_zeros(self.num_stages - 1)
            self.no_update = beta.new_zeros(self.num_stages - 1)
        if torch.isfinite(beta):
            self.beta_sum[self._stage] += beta
            self.no_update[self._stage] += float(beta >= 1.)

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
        stats = self.pop_stats()
        return None if stats is None else stats['weights']

    def pop_stats(self) -> Optional[dict]:
        """Means since the last pop, or None: ``weights`` (num_stages, K),
        ``beta`` (num_stages - 1, mean clipped beta_j) and ``no_update``
        (num_stages - 1, fraction of batches whose update was skipped)."""
        if self.weight_sum is None or self.weight_count == 0:
            return None
        count = self.weight_count
        stats = dict(weights=(self.weight_sum / count).cpu())
        if self.beta_sum is not None:
            stats['beta'] = (self.beta_sum / count).cpu()
            stats['no_update'] = (self.no_update / count).cpu()
            self.beta_sum.zero_()
            self.no_update.zero_()
        self.weight_sum.zero_()
        self.weight_count = 0
        return stats
