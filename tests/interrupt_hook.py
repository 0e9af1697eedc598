"""A hook that kills the training process after a given iteration, to test
``--resume`` on a real interruption (imported by tests via custom_imports)."""
import os

from mmengine.hooks import Hook
from mmpose.registry import HOOKS


@HOOKS.register_module()
class KillAfterIterHook(Hook):
    priority = 'LOWEST'  # after the checkpoint hook has saved

    def __init__(self, iteration: int):
        self.iteration = iteration

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if runner.iter + 1 == self.iteration:
            os._exit(17)  # no clean-up, like a killed job
