"""Mixed-precision training on CPU (``tools/train.py --amp bf16`` without
a GPU, and the recipes' ``fast_mode='auto'``)."""
from contextlib import contextmanager

import torch
import torch.nn as nn
from mmengine.optim import OptimWrapper
from mmpose.registry import OPTIM_WRAPPERS


@OPTIM_WRAPPERS.register_module()
class CPUAmpOptimWrapper(OptimWrapper):
    """``OptimWrapper`` whose forward and loss run under CPU bf16 autocast.

    mmengine 0.10.7's ``AmpOptimWrapper`` asserts a CUDA/NPU/MLU/MUSA device
    in its constructor and its loss scaler is CUDA's, so it cannot train on
    a CPU. bf16 keeps float32's exponent range, so no loss scaling is
    needed: autocast around forward + loss is the whole of it. Parameters,
    gradients, optimizer state and checkpoints stay float32.

    Args:
        dtype: only ``'bfloat16'``; float16 on CPU has neither fast kernels
            nor a loss scaler here.
        **kwargs: ``OptimWrapper``'s arguments (optimizer, clip_grad, ...).
    """

    def __init__(self, dtype='bfloat16', **kwargs):
        if dtype not in ('bfloat16', torch.bfloat16):
            raise ValueError(
                f'CPUAmpOptimWrapper: dtype={dtype!r} is not supported; CPU '
                'mixed precision is bf16 only (--amp bf16). fp16 needs a '
                'CUDA GPU (AmpOptimWrapper).')
        super().__init__(**kwargs)
        self.cast_dtype = torch.bfloat16

    @contextmanager
    def optim_context(self, model: nn.Module):
        self._float32_head_outputs(model)
        with super().optim_context(model), torch.autocast(
                'cpu', dtype=self.cast_dtype):
            yield

    def _float32_head_outputs(self, model: nn.Module) -> None:
        """MMPose's heads turn their predictions into numpy for the
        training accuracy (``to_numpy``), which fails on bfloat16: the
        head's outputs leave it in float32 (our backbones' heatmaps already
        do; MMPose's heads on features need this). The head's ``forward``
        itself is wrapped, not hooked: MMPose's ``loss()`` calls
        ``self.forward(feats)``, which skips forward hooks."""
        model = getattr(model, 'module', model)
        head = getattr(model, 'head', None)
        if head is None or getattr(head, '_float32_outputs', False):
            return
        forward = head.forward

        def float32_forward(*args, **kwargs):
            return to_float32(forward(*args, **kwargs))

        head.forward = float32_forward
        head._float32_outputs = True


def to_float32(output):
    if isinstance(output, torch.Tensor):
        return output.float() if output.dtype == torch.bfloat16 else output
    if isinstance(output, (tuple, list)):
        return type(output)(to_float32(o) for o in output)
    return output
