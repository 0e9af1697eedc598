"""Regional compilation: ``torch.compile`` on the unit a model repeats.

A stacked hourglass is the same hourglass N times. Compiling the whole
backbone makes dynamo trace and inductor compile every stack again (over
5 minutes for Newell's 8 x 256 on a 16-core machine); compiling each
stack's hourglass in place (``nn.Module.compile``) makes one graph that
every stack's call reuses: torch >= 2.5 treats a module's parameters as
graph inputs (``inline_inbuilt_nn_modules``), so modules of the same
structure and input shapes share the compiled code, and compile time no
longer grows with the number of stacks. What lies between the units (the
stem, the per-stack 1x1 heads and remaps) stays eager: a few operators per
stack against the hundreds inside an hourglass.

The unit of each model:

* the package's backbones: their ``compile_repeated()`` (each stack's
  hourglass; for ResNetMultiStage each stage's encoder layers + decoder);
* MMPose's ``HourglassNet``: its ``hourglass_modules``;
* anything else (SimpleBaseline's ResNet, ...): the whole backbone and
  neck, where nothing repeats. (Not a ResNet's layers one by one: dynamo
  starts a compiled ``nn.Sequential`` at each block inside, one small
  graph per block shape, past its cache limit of 8, then runs eager.)

Checkpoint keys do not change (``nn.Module.compile`` works in place).
"""
import time
import torch
import torch.nn as nn


def compile_regions(model: nn.Module, scope: str = 'repeated',
                    **compile_kwargs) -> str:
    """Compile ``model``'s repeated units (``scope='repeated'``) or its
    whole backbone and neck (``scope='backbone'``) in place, with
    ``torch.compile``'s keyword arguments; returns what was compiled, for
    the log."""
    if scope not in ('repeated', 'backbone'):
        raise ValueError(f"compile scope must be 'repeated' or 'backbone', "
                         f'got {scope!r}')
    options = ', '.join(f'{k}={v!r}' for k, v in compile_kwargs.items())
    head = f"torch.compile({options or 'default'}) on "
    backbone = getattr(model, 'backbone', None)
    if backbone is None:  # a bare network
        model.compile(**compile_kwargs)
        return head + type(model).__name__
    if scope == 'repeated' and hasattr(backbone, 'compile_repeated'):
        return head + 'backbone.' + backbone.compile_repeated(**compile_kwargs)
    if scope == 'repeated' and hasattr(backbone, 'hourglass_modules'):
        for module in backbone.hourglass_modules:  # MMPose's HourglassNet
            module.compile(**compile_kwargs)
        return head + (f'backbone.hourglass_modules '
                       f'({len(backbone.hourglass_modules)} x '
                       f'{type(backbone.hourglass_modules[0]).__name__})')
    parts = []
    for name in ('backbone', 'neck'):
        module = getattr(model, name, None)
        if module is not None:
            module.compile(**compile_kwargs)
            parts.append(f'{name} ({type(module).__name__}, whole)')
    return head + ', '.join(parts)


def compiled_graphs() -> int:
    """Graphs dynamo has compiled in this process so far (each stack's
    call of a shared unit does not add one: that is the point)."""
    from torch._dynamo.utils import counters
    return int(counters['stats']['unique_graphs'])


class CompileTimer:
    """Graphs compiled and seconds spent between ``start()`` and
    ``stop()`` (the first training step, where compilation happens)."""

    def start(self):
        self.graphs = compiled_graphs()
        self.begin = time.perf_counter()

    def stop(self) -> tuple:
        return (compiled_graphs() - self.graphs,
                time.perf_counter() - self.begin)


def check_cuda_graphs(cfg, compile_kwargs: dict, on_gpu: bool) -> None:
    """CUDA graphs (``mode='reduce-overhead'``) replay recorded kernels for
    fixed shapes on a CUDA device; refuse the settings where they cannot
    run, naming the fix."""
    if not on_gpu:
        raise SystemExit(
            "CUDA graphs (--cuda-graphs, or compile=dict(mode="
            "'reduce-overhead')) need a CUDA GPU; torch sees none here "
            '(torch.cuda.is_available() is False). On a CPU use --compile.')
    if compile_kwargs.get('dynamic'):
        raise SystemExit('CUDA graphs replay fixed shapes: remove '
                         "compile=dict(dynamic=True), or use --compile.")
    loader = cfg.get('train_dataloader') or {}
    if not loader.get('drop_last', False):
        raise SystemExit(
            'CUDA graphs replay fixed shapes, but train_dataloader.'
            'drop_last is not True: the last batch of each epoch would be '
            'smaller and record graphs of its own. Set it '
            '(--cfg-options train_dataloader.drop_last=True), or use '
            '--compile.')


def mark_step() -> None:
    """Tell CUDA-graph trees a new training step begins: the previous
    step's graph outputs may be overwritten (torch's documented call for
    loops that run a ``reduce-overhead`` model more than once a step)."""
    torch.compiler.cudagraph_mark_step_begin()
