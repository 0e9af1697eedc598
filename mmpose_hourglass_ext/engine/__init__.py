from .adaptive_weight_logger import AdaptiveWeightLoggerHook

__all__ = ['AdaptiveWeightLoggerHook']
