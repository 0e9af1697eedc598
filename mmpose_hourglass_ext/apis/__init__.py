from .export import (LastStageHeatmaps, count_batchnorms, fold_batchnorm,
                     stage_heatmaps)
from .inference import init_pose_model, model_index, resolve_model

__all__ = ['LastStageHeatmaps', 'count_batchnorms', 'fold_batchnorm',
           'init_pose_model', 'model_index', 'resolve_model', 'stage_heatmaps']
