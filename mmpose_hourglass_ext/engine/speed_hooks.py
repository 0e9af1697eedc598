"""Hooks for fast training, set by ``tools/train.py``'s options.

* ``ChannelsLastHook`` (``--channels-last``): train and test in the
  channels-last (NHWC) layout, which cuDNN's tensor-core convolutions
  prefer under mixed precision. Converting the model is enough: a conv
  whose weight is channels-last returns a channels-last output, so the
  layout propagates from the first conv on. Parameters keep their identity
  (``Module.to`` swaps their data), so the optimizer stays valid.
* ``CompileBackboneHook`` (``--compile``, or ``compile=...`` in a config):
  ``torch.compile`` on the backbone (and neck), in place
  (``nn.Module.compile``: checkpoint keys do not change). mmengine 0.10.7's
  own ``compile`` option compiles the whole ``train_step`` instead, and
  dynamo fails there on mmengine's data samples (``copy.deepcopy`` of
  numpy metainfo in ``set_metainfo``) before reaching the network; the
  arithmetic is all in the backbone.
"""
import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmpose.registry import HOOKS


def unwrap(model):
    return model.module if is_model_wrapper(model) else model


@HOOKS.register_module()
class ChannelsLastHook(Hook):

    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        unwrap(runner.model).to(memory_format=torch.channels_last)

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        # checkpoints keep the standard layout, so they load and export the
        # same whichever layout they were trained in
        state = checkpoint.get('state_dict', {})
        for key, value in state.items():
            if isinstance(value, torch.Tensor):
                state[key] = value.contiguous()


@HOOKS.register_module()
class FlushDenormalsHook(Hook):
    """Treat float32 subnormals as zero on CPU for the run: after a few
    hundred iterations heatmap regression drives many activations and
    gradients into the subnormal range, where x86 CPUs are ~10x slower
    (measured: a 2-stack hourglass step went from 0.4 s to 3.9 s). Only
    values below 1.2e-38 change. In the package's default runtime, so it
    also acts under MMPose's own tools."""

    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        from ..utils.compat import flush_denormals
        flush_denormals()


@HOOKS.register_module()
class CompileBackboneHook(Hook):
    """Args: keyword arguments of ``torch.compile`` (e.g. ``backend``,
    ``mode``)."""

    priority = 'VERY_HIGH'

    def __init__(self, **compile_kwargs):
        self.compile_kwargs = compile_kwargs

    def before_run(self, runner) -> None:
        model = unwrap(runner.model)
        for name in ('backbone', 'neck'):
            module = getattr(model, name, None)
            if module is not None:
                module.compile(**self.compile_kwargs)


@HOOKS.register_module()
class FastModeNoticeHook(Hook):
    """A config's ``fast_mode`` is applied by this package's
    ``tools/train.py``, which sets the optimizer wrapper before the runner
    is built; MMPose's own ``train.py`` does not know the key. In the
    package's default runtime, so a run that ignores it says so, naming
    the setting and the fix, where the mode would have changed something
    (bf16 or channels-last on this machine)."""

    priority = 'VERY_LOW'

    def before_run(self, runner) -> None:
        import warnings

        from ..utils.fast_mode import choose_fast_mode
        cfg = runner.cfg
        mode = cfg.get('fast_mode')
        if mode in (None, 'off') or cfg.get('fast_mode_used'):
            return  # not asked for, or applied by tools/train.py
        wanted = choose_fast_mode(mode, on_gpu=torch.cuda.is_available())
        if not (wanted.amp or wanted.channels_last):
            return  # float32 is what the mode chooses here too
        warnings.warn(
            f"{cfg.filename or 'the config'}: fast_mode={mode!r} would train "
            f'in {wanted.describe()}, but this tool does not apply it (only '
            "mmpose_hourglass_ext's tools/train.py does, also as "
            '.mim/tools/train.py in the installed package): training in '
            'the optimizer wrapper the config names. Use the package\'s '
            'train.py for the fast mode.')
