"""Runner set-up shared by tools/train.py and tools/test.py."""
import os

import torch
import torch.distributed as dist
from mmengine.config import Config


def setup_launcher(cfg: Config, launcher: str) -> Config:
    """Make ``--launcher pytorch`` work on machines without a GPU.

    mmengine 0.10.7 always calls ``torch.cuda.set_device`` while initialising
    the process group and wraps the model in DDP with ``device_ids=[rank]``,
    both of which fail on CPU. On a CPU-only machine we initialise the gloo
    group ourselves (mmengine then skips its own init) and give DDP no device.
    On GPUs nothing changes.
    """
    cfg.launcher = launcher
    if launcher == 'none' or torch.cuda.is_available():
        return cfg
    if launcher != 'pytorch':
        raise RuntimeError(f'--launcher {launcher} needs GPUs; on CPU use '
                           'tools/dist_train.sh (torchrun, gloo backend)')
    cfg.env_cfg.setdefault('dist_cfg', {})['backend'] = 'gloo'
    # the same wrapper arguments mmengine uses when none is configured
    wrapper = cfg.get('model_wrapper_cfg') or dict(
        type='MMDistributedDataParallel',
        broadcast_buffers=False,
        find_unused_parameters=cfg.get('find_unused_parameters', False))
    wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper
    if not dist.is_initialized():
        dist.init_process_group(
            backend='gloo',
            rank=int(os.environ['RANK']),
            world_size=int(os.environ['WORLD_SIZE']))
    return cfg
