"""Runner set-up shared by tools/train.py and tools/test.py."""
import argparse
import os
import os.path as osp

import torch
import torch.distributed as dist
from mmengine.config import Config, DictAction


def add_common_args(parser: argparse.ArgumentParser) -> None:
    """Arguments both tools take, as MMPose's tools spell them."""
    parser.add_argument('--work-dir', help='where logs and checkpoints go '
                        '(default: work_dirs/<config name>)')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config entries, e.g. train_cfg.max_iters=10')
    parser.add_argument('--launcher', default='none',
                        choices=['none', 'pytorch', 'slurm', 'mpi'])
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def load_config(args: argparse.Namespace) -> Config:
    """The config with ``--cfg-options`` applied and its work dir set."""
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    cfg.work_dir = args.work_dir or cfg.get('work_dir') or osp.join(
        'work_dirs', osp.splitext(osp.basename(args.config))[0])
    return cfg


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


def finish_launcher() -> None:
    """Leave the process group before the interpreter exits.

    Without this, a gloo rank that is still tearing down its threads when
    Python exits aborts with "terminate called without an active
    exception" (exit code -6) although its work is done; it showed up when
    rank 0 spent longer than the others writing its result files.
    """
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()
