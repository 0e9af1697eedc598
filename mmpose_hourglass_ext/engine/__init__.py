from .adaptive_weight_logger import AdaptiveWeightLoggerHook
from .safety_hooks import (NonFiniteLossError, SafeCheckpointHook,
                           StopOnNonFiniteLossHook)

__all__ = ['AdaptiveWeightLoggerHook', 'NonFiniteLossError',
           'SafeCheckpointHook', 'StopOnNonFiniteLossHook']
