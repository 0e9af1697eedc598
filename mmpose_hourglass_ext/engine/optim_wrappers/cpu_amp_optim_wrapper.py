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
        with super().optim_context(model), torch.autocast(
                'cpu', dtype=self.cast_dtype):
            yield
