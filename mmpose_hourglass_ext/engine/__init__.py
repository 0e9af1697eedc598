from .adaptive_weight_logger import AdaptiveWeightLoggerHook
from .optim_wrappers import CPUAmpOptimWrapper
from .safety_hooks import (NonFiniteLossError, SafeCheckpointHook,
                           StopOnNonFiniteLossHook)
from .speed_hooks import (ChannelsLastHook, CompileBackboneHook,
                          FastModeNoticeHook, FlushDenormalsHook)

__all__ = ['AdaptiveWeightLoggerHook', 'ChannelsLastHook',
           'CompileBackboneHook', 'CPUAmpOptimWrapper', 'FastModeNoticeHook',
           'FlushDenormalsHook',
           'NonFiniteLossError',
           'SafeCheckpointHook', 'StopOnNonFiniteLossHook']
