"""Work-arounds for the pinned stack (torch 2.13 + mmengine 0.10.7).

1. Resume (``allow_mmengine_checkpoints``):
torch>=2.6 loads checkpoints with ``weights_only=True`` by default; mmengine
0.10.7 calls ``torch.load`` without the argument, so ``--resume`` fails on
what mmengine itself writes into a training checkpoint: numpy arrays and
scalars (dataset meta, message hub) and ``HistoryBuffer`` objects, whose
statistics methods are pickled as ``getattr(HistoryBuffer, 'mean')``.

Instead of turning the safety check off (``weights_only=False`` would run any
code a checkpoint carries), we allowlist exactly those types, and stand in for
``getattr`` with a version that only resolves HistoryBuffer's statistics
methods, so a checkpoint still cannot reach arbitrary attributes.

2. CPU speed (``flush_denormals``, opt-in through ``FlushDenormalsHook``):
after a few hundred iterations the heatmap
regression drives many activations and gradients into float32's subnormal
range, where x86 CPUs are ~10x slower (measured here: a 2-stack hourglass step
went from 0.4 s to 3.9 s). Flushing them to zero only changes values below
1.2e-38.

3. Config scope (``register_config_scope``): ``mmpose_hourglass_ext::`` in
``_base_``, see the function.
"""
import numpy as np
import torch

_allowed = False
# HistoryBuffer's built-in statistics (registered lazily by its __init__)
_STATISTICS = ('min', 'max', 'current', 'mean')


def _history_buffer_getattr(obj, name):
    """``getattr`` limited to what a pickled HistoryBuffer needs."""
    from mmengine.logging import HistoryBuffer
    known = set(_STATISTICS) | set(HistoryBuffer._statistics_methods)
    if obj is HistoryBuffer and name in known:
        return getattr(obj, name)
    raise AttributeError(
        f'checkpoint asks for {obj!r}.{name}, which mmpose_hourglass_ext '
        'does not allow when loading with weights_only=True')


def _safe_globals() -> list:
    from mmengine.logging import HistoryBuffer
    allowed = [
        HistoryBuffer,
        np.ndarray,
        np.dtype,
        np.core.multiarray._reconstruct,
        np.core.multiarray.scalar,
        (_history_buffer_getattr, 'builtins.getattr'),
        (_history_buffer_getattr, '__builtin__.getattr'),
    ]
    # numpy>=1.25 pickles dtypes by their class, e.g. numpy.dtypes.Float64DType
    allowed += list({type(np.dtype(t)) for t in np.sctypeDict.values()})
    return allowed


def allow_mmengine_checkpoints() -> None:
    """Let ``torch.load(weights_only=True)`` read mmengine checkpoints."""
    global _allowed
    if _allowed or not hasattr(torch.serialization, 'add_safe_globals'):
        return  # torch<2.4 has no allowlist and loads everything anyway
    torch.serialization.add_safe_globals(_safe_globals())
    _allowed = True


def flush_denormals() -> None:
    """Treat float32 subnormals as zero on CPU (no effect on GPU kernels).
    Opt-in, process-wide: ``FlushDenormalsHook`` (in the default runtime of
    the package's configs) turns it on for CPU training; importing the
    package changes nothing."""
    torch.set_flush_denormal(True)


def register_config_scope() -> None:
    """Let configs say ``_base_ = ['mmpose_hourglass_ext::<folder>/<file>.py']``
    like ``mmpose::``: mmengine 0.10.7 only resolves packages listed in its
    ``MODULE2PACKAGE`` table, so the package adds itself there (the shipped
    configs live in ``mmpose_hourglass_ext/.mim/configs``, MMPose's layout).
    Effective once ``mmpose_hourglass_ext`` has been imported.

    mmengine finds a package's ``.mim`` folder through
    ``get_installed_path``, which asks pkg_resources for the distribution's
    location and appends the package name: with an editable install (``pip
    install -e .``, what tools/setup_env.sh does) that points into
    site-packages, where the package is not. For this package the lookup
    answers the folder it was imported from, which is right for every kind
    of install and any working directory."""
    import os.path as osp

    from mmengine.config import config, utils
    utils.MODULE2PACKAGE.setdefault('mmpose_hourglass_ext',
                                    'mmpose_hourglass_ext')
    if getattr(config.get_installed_path, '_ours', False):
        return
    original = config.get_installed_path

    def get_installed_path(package: str) -> str:
        if package == 'mmpose_hourglass_ext':  # this file is in utils/
            return osp.dirname(osp.dirname(osp.abspath(__file__)))
        return original(package)

    get_installed_path._ours = True
    config.get_installed_path = get_installed_path
