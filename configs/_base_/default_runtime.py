# MMPose's runtime defaults plus the import that registers this package,
# and two safety nets of ours (mmpose_hourglass_ext/engine/safety_hooks.py):
# checkpoints written to a temporary file and renamed before old ones are
# pruned (mmengine deletes first), and training stopped at the first
# non-finite loss, before a NaN checkpoint is saved.
_base_ = ['mmpose::_base_/default_runtime.py']

custom_imports = dict(imports=['mmpose_hourglass_ext'], allow_failed_imports=False)
default_scope = 'mmpose'
# MMPose's inferencer (Pose2DInferencer) reads cfg.data_mode; every config
# here is top-down (one heatmap set per person box)
data_mode = 'topdown'
default_hooks = dict(checkpoint=dict(type='SafeCheckpointHook'))
custom_hooks = [dict(type='SyncBuffersHook'),
                dict(type='StopOnNonFiniteLossHook'),
                dict(type='FlushDenormalsHook'),
                # says so when a tool ignores the config's fast_mode
                # (MMPose's own train.py does)
                dict(type='FastModeNoticeHook')]
# top-down inputs have one fixed size, so cuDNN's autotuner pays off after
# the first iteration (MMPose's default runtime leaves it off)
env_cfg = dict(cudnn_benchmark=True)
