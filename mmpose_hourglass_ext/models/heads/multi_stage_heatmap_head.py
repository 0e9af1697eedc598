"""MMPose's CPMHead with a target per stage (Su et al.'s per-stage sigma).

``CPMHead`` supervises every stage with the same heatmaps. With MMPose's
multilevel targets (``GenerateTarget(multilevel=True, encoder=[codec per
stage])``) this head supervises stage i with level i -- e.g. Gaussians
whose sigma decreases with the stage; with single-level targets it is
exactly ``CPMHead``. ``test_stage`` picks the stage that ``predict``
decodes (default: the last), to score intermediate predictions.
"""
from typing import Optional, Sequence

import torch
from mmpose.evaluation.functional import pose_pck_accuracy
from mmpose.models.heads import CPMHead
from mmpose.registry import MODELS
from mmpose.structures import MultilevelPixelData
from mmpose.utils.tensor_utils import to_numpy


@MODELS.register_module()
class MultiStageHeatmapHead(CPMHead):
    """``CPMHead`` + per-stage target levels + ``test_stage``.

    Args:
        test_stage: index of the stage decoded at test time (None: last).
        Others: as ``CPMHead``.
    """

    def __init__(self, *args, test_stage: Optional[int] = None, **kwargs):
        super().__init__(*args, **kwargs)
        # a loss that carries state from stage to stage (the MSSH adaptive
        # weights) must be called once per stage per batch, or its weights
        # leak into the next batch without any error
        calls = getattr(self.loss_module, 'num_stages', None)
        if calls is not None and calls != self.num_stages:
            raise ValueError(
                f'{type(self.loss_module).__name__} has num_stages={calls} '
                f'but this head has num_stages={self.num_stages} and calls '
                'it once per stage: set model.head.loss.num_stages to '
                f'{self.num_stages}')
        if test_stage is not None and not (-self.num_stages <= test_stage
                                           < self.num_stages):
            raise ValueError(f'test_stage {test_stage} out of range for '
                             f'{self.num_stages} stages')
        self.test_stage = test_stage

    def forward(self, feats: Sequence[torch.Tensor]):
        outs = super().forward(feats)
        if not self.training and self.test_stage is not None:
            # predict() decodes the last entry
            stage = self.test_stage % self.num_stages
            outs = outs[:stage + 1]
        return outs

    def loss(self, feats, batch_data_samples, train_cfg: dict = {}) -> dict:
        if not isinstance(batch_data_samples[0].gt_fields,
                          MultilevelPixelData):
            return super().loss(feats, batch_data_samples, train_cfg)
        preds = self.forward(feats)
        levels = batch_data_samples[0].gt_fields.nlevel
        if levels != self.num_stages:
            raise ValueError(
                f'{levels} target levels for {self.num_stages} stages: give '
                'GenerateTarget one encoder per stage')
        loss_kpt = 0.
        for i, pred in enumerate(preds):
            gt = torch.stack([d.gt_fields[i].heatmaps
                              for d in batch_data_samples])
            # multilevel keypoint weights are (levels, instances, K)
            weights = torch.cat([d.gt_instance_labels.keypoint_weights[i]
                                 for d in batch_data_samples])
            loss_func = (self.loss_module[i] if isinstance(
                self.loss_module, torch.nn.ModuleList) else self.loss_module)
            loss_kpt = loss_kpt + loss_func(pred, gt, weights)
        _, acc, _ = pose_pck_accuracy(output=to_numpy(preds[-1]),
                                      target=to_numpy(gt),
                                      mask=to_numpy(weights) > 0)
        return dict(loss_kpt=loss_kpt,
                    acc_pose=torch.tensor(acc, device=gt.device))
