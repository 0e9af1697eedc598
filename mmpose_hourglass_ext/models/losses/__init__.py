from .adaptive_weights import adaptive_keypoint_weights

__all__ = ['adaptive_keypoint_weights']
