"""Which precision and memory layout a training runs in.

``fast_mode`` (a config key, or ``tools/train.py --fast-mode``):

* ``'off'`` (default): float32, NCHW, unless ``--amp``/``--channels-last``;
* ``'on'``: bf16 autocast + channels-last;
* ``'auto'`` (the package's CPU recipes: quickstart, zoo, 60-minute
  recipe): ``'on'`` when training on a CPU that runs bf16 natively
  (AVX512-BF16 or AMX, as torch's own capability checks report), else
  ``'off'`` -- and there, for runs of at least ``AUTO_COMPILE_ITERS``
  iterations, regional compilation (utils/regional_compile.py), measured
  to pay in float32 on a 2-core CPU: 4-19% faster steps, so 1.04-1.17x
  over a 10,000-iteration run after its 60-100 s of compiling
  (benchmarks/compile_vs_eager_cpu.json). Not in bf16, where it is not
  measured. On a GPU, ``'auto'`` leaves the precision to ``--amp``.
"""
from typing import NamedTuple, Optional

import torch

MODES = ('auto', 'on', 'off')
# the shortest run 'auto' compiles: compiling (60-100 s here) is paid back
# after ~800-2,500 iterations (compile_vs_eager_cpu.json), with a margin
AUTO_COMPILE_ITERS = 5000


class FastMode(NamedTuple):
    amp: Optional[str]  # None (float32), 'bf16' or 'fp16'
    channels_last: bool
    reason: str
    compile: bool = False  # regional compilation ('auto', long CPU runs)

    def describe(self) -> str:
        precision = f'{self.amp} autocast' if self.amp else 'float32'
        layout = 'channels-last' if self.channels_last else 'NCHW'
        compiled = ' + compiled' if self.compile else ''
        return f'{precision} + {layout}{compiled}: {self.reason}'


def native_bf16_units() -> 'list[str]':
    """This CPU's units that compute bf16 natively, as torch's own
    capability checks report them (``['AVX512-BF16', 'AMX']``, or [])."""
    checks = [('AVX512-BF16', getattr(torch.cpu, '_is_avx512_bf16_supported',
                                      None)),
              ('AMX', getattr(torch.cpu, '_is_amx_tile_supported', None))]
    return [name for name, check in checks if check is not None and check()]


def cpu_has_native_bf16() -> 'tuple[bool, str]':
    """Whether this CPU computes bf16 natively, and what says so."""
    found = native_bf16_units()
    if found and torch.backends.mkldnn.is_available():
        return True, f'this CPU runs bf16 natively ({" and ".join(found)})'
    return False, ('this CPU has no native bf16 (no AVX512-BF16 or AMX), so '
                   'bf16 would be emulated and slower than float32')


def choose_fast_mode(mode: str = 'off', amp: Optional[str] = None,
                     channels_last: bool = False,
                     on_gpu: Optional[bool] = None,
                     iters: Optional[int] = None) -> FastMode:
    """Resolve ``fast_mode`` and the explicit ``--amp``/``--channels-last``
    flags into one ``FastMode``: a flag adds to what the mode chose (an
    explicit ``--amp`` replaces its precision), so ``--fast-mode on
    --channels-last`` keeps bf16. ``iters``: the run's iterations, for
    'auto''s compilation (None: unknown, no compilation)."""
    if mode not in MODES:
        raise ValueError(f'fast_mode must be one of {MODES}, got {mode!r} '
                         '(config key fast_mode or --fast-mode)')
    if on_gpu is None:
        on_gpu = torch.cuda.is_available()
    chosen = _mode_choice(mode, on_gpu)
    if amp or channels_last:
        return FastMode(amp or chosen.amp,
                        channels_last or chosen.channels_last,
                        f'{chosen.reason}, with --amp/--channels-last')
    if (mode == 'auto' and not on_gpu and chosen.amp is None
            and (iters or 0) >= AUTO_COMPILE_ITERS):
        return chosen._replace(compile=True, reason=(
            f'{chosen.reason}; compiled, which pays in float32 over '
            f'{iters:,} iterations (benchmarks/compile_vs_eager_cpu.json)'))
    return chosen


def _mode_choice(mode: str, on_gpu: bool) -> FastMode:
    if mode == 'off':
        return FastMode(None, False, 'fast_mode is off')
    if mode == 'on':
        return FastMode('bf16', True, 'fast_mode is on')
    if on_gpu:
        return FastMode(None, False, "fast_mode 'auto' chooses only on CPU; "
                        'on a GPU use --amp bf16|fp16')
    native, why = cpu_has_native_bf16()
    if native:
        return FastMode('bf16', True, f"fast_mode 'auto': {why}")
    return FastMode(None, False, f"fast_mode 'auto': {why}; training in "
                    'float32 takes about twice as long')
