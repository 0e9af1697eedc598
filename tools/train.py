"""Train a model with mmengine's Runner; our modules are registered on import.

Same command line as MMPose's tools/train.py, e.g.::

    python tools/train.py configs/stacked_hourglass/<config>.py
    python tools/train.py <config> --resume            # latest in work_dir
    bash tools/dist_train.sh <config> 2                # torchrun, GPU or CPU
"""
import argparse

from mmengine.config import Config
from mmengine.runner import Runner

import mmpose_hourglass_ext  # noqa: F401  (registers modules, resume fix)
from mmpose_hourglass_ext.runtime import (add_common_args, check_work_dir,
                                          finish_launcher, load_config,
                                          load_checkpoints_strictly,
                                          setup_launcher)


def parse_args():
    parser = argparse.ArgumentParser(description='Train a pose model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument(
        '--resume', nargs='?', const='auto',
        help='resume from this checkpoint, or without a value from the '
        'latest checkpoint in the work dir')
    parser.add_argument(
        '--overwrite', action='store_true',
        help='train even though the work dir holds checkpoints of another '
        'run (they are replaced)')
    parser.add_argument('--amp', nargs='?', const='fp16',
                        choices=['fp16', 'bf16'],
                        help='mixed precision through mmengine\'s '
                        'AmpOptimWrapper (GPU): fp16 (default, dynamic loss '
                        'scaling) or bf16')
    parser.add_argument('--channels-last', action='store_true',
                        help='NHWC memory layout (ChannelsLastHook)')
    parser.add_argument('--compile', action='store_true',
                        help='torch.compile the backbone '
                        '(CompileBackboneHook)')
    parser.add_argument('--no-validate', action='store_true',
                        help='skip validation during training')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='scale the lr by total batch size / '
                        'auto_scale_lr.base_batch_size')
    add_common_args(parser)
    return parser.parse_args()


def add_hook(cfg: Config, hook: dict) -> None:
    cfg.custom_hooks = list(cfg.get('custom_hooks', [])) + [hook]


def build_cfg(args) -> Config:
    cfg = load_config(args)
    if args.no_validate:
        cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    if args.amp:
        import torch
        if not torch.cuda.is_available():
            raise SystemExit(
                '--amp needs a CUDA GPU: mmengine\'s AmpOptimWrapper '
                'refuses to train on CPU (train without --amp here)')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.dtype = dict(fp16='float16',
                                       bf16='bfloat16')[args.amp]
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.channels_last:
        add_hook(cfg, dict(type='ChannelsLastHook'))
    # mmengine's `compile` option (config or --compile) runs through
    # CompileBackboneHook: mmengine would compile the whole train_step,
    # where dynamo fails on its data samples (engine/speed_hooks.py)
    compile_cfg = True if args.compile else cfg.get('compile')
    if compile_cfg:
        add_hook(cfg, dict(
            type='CompileBackboneHook',
            **(compile_cfg if isinstance(compile_cfg, dict) else {})))
        cfg.compile = None
    if args.resume is not None:
        cfg.resume = True
        cfg.load_from = None if args.resume == 'auto' else args.resume
    check_work_dir(cfg.work_dir, args.resume, args.overwrite)
    if args.auto_scale_lr:
        cfg.auto_scale_lr.enable = True
    return setup_launcher(cfg, args.launcher)


def main():
    args = parse_args()
    runner = Runner.from_cfg(build_cfg(args))
    load_checkpoints_strictly(runner, args.config)
    runner.train()
    finish_launcher()


if __name__ == '__main__':
    main()
