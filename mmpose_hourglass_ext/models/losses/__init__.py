from .adaptive_mse import AdaptiveWeightedMSELoss
from .adaptive_weights import adaptive_keypoint_weights, adaptive_weight_step

__all__ = [
    'AdaptiveWeightedMSELoss', 'adaptive_keypoint_weights',
    'adaptive_weight_step'
]
