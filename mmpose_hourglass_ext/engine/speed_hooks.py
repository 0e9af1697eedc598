"""Hooks for fast training, set by ``tools/train.py``'s options.

* ``ChannelsLastHook`` (``--channels-last``): train and test in the
  channels-last (NHWC) layout, which cuDNN's tensor-core convolutions
  prefer under mixed precision. Converting the model is enough: a conv
  whose weight is channels-last returns a channels-last output, so the
  layout propagates from the first conv on. Parameters keep their identity
  (``Module.to`` swaps their data), so the optimizer stays valid.
* ``CompileBackboneHook`` (``--compile``, ``--cuda-graphs``, or
  ``compile=...`` in a config): regional compilation
  (utils/regional_compile.py): ``torch.compile`` on the unit the backbone
  repeats (each stack's hourglass), in place, so one graph serves every
  stack and checkpoint keys do not change; ``scope='backbone'`` compiles
  the whole backbone instead. mmengine 0.10.7's own ``compile`` option
  compiles the whole ``train_step``, and dynamo fails there on mmengine's
  data samples (``copy.deepcopy`` of numpy metainfo in ``set_metainfo``)
  before reaching the network. ``mode='reduce-overhead'`` adds CUDA
  graphs to the compiled units (GPU only, fixed shapes).
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
    """Args: ``scope`` ('repeated': the units the backbone repeats;
    'backbone': all of it) and keyword arguments of ``torch.compile``
    (e.g. ``backend``, ``mode``). Logs what it compiled, and after the
    first iteration how many graphs that took and how long; a later
    training iteration that compiles again (a new batch size, say) is
    logged too, as it costs another compilation."""

    priority = 'VERY_HIGH'

    def __init__(self, scope: str = 'repeated', **compile_kwargs):
        self.scope = scope
        self.compile_kwargs = compile_kwargs
        self.cuda_graphs = compile_kwargs.get('mode') in (
            'reduce-overhead', 'max-autotune')

    def before_run(self, runner) -> None:
        from ..utils.regional_compile import (CompileTimer, check_cuda_graphs,
                                              compile_regions)
        if self.cuda_graphs:
            check_cuda_graphs(runner.cfg, self.compile_kwargs,
                              torch.cuda.is_available())
        what = compile_regions(unwrap(runner.model), self.scope,
                               **self.compile_kwargs)
        runner.logger.info(f'CompileBackboneHook: {what}; compiles at the '
                           'first iteration')
        self.timer = CompileTimer()

    def mark_step(self) -> None:
        if self.cuda_graphs:
            from ..utils.regional_compile import mark_step
            mark_step()

    def before_train_iter(self, runner, batch_idx, data_batch=None) -> None:
        self.mark_step()
        self.timer.start()

    def before_val_iter(self, runner, batch_idx, data_batch=None) -> None:
        self.mark_step()

    def before_test_iter(self, runner, batch_idx, data_batch=None) -> None:
        self.mark_step()

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        graphs, seconds = self.timer.stop()
        if not hasattr(self, 'first_seconds'):
            self.first_seconds = seconds
            runner.logger.info(
                f'CompileBackboneHook: first iteration {seconds:.1f} s, '
                f'{graphs} graph(s) compiled (one per distinct unit; '
                'inductor compiles its forward and backward)')
        elif graphs:
            runner.logger.warning(
                f'CompileBackboneHook: iteration {runner.iter + 1} compiled '
                f'{graphs} more graph(s) ({seconds:.1f} s): the inputs '
                'changed shape or dtype (a smaller last batch: set '
                'train_dataloader.drop_last=True)')


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
        wanted = choose_fast_mode(mode, on_gpu=torch.cuda.is_available(),
                                  iters=(cfg.get('train_cfg') or {}).get(
                                      'max_iters'))
        if not (wanted.amp or wanted.channels_last or wanted.compile):
            return  # float32, eager is what the mode chooses here too
        warnings.warn(
            f"{cfg.filename or 'the config'}: fast_mode={mode!r} would train "
            f'in {wanted.describe()}, but this tool does not apply it (only '
            "mmpose_hourglass_ext's tools/train.py does, also as "
            '.mim/tools/train.py in the installed package): training in '
            'the optimizer wrapper the config names. Use the package\'s '
            'train.py for the fast mode.')
