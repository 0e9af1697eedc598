from .export import (LastStageHeatmaps, count_batchnorms, fold_batchnorm,
                     stage_heatmaps)
from .inference import init_pose_model

__all__ = ['LastStageHeatmaps', 'count_batchnorms', 'fold_batchnorm',
           'init_pose_model', 'stage_heatmaps']
