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
from mmpose_hourglass_ext.utils.runtime import (add_common_args,
                                          add_visualization_args,
                                          apply_visualization_args,
                                          check_work_dir,
                                          claim_work_dir, keep_package_hooks,
                                          explain_run_errors,
                                          finish_launcher, load_config,
                                          load_checkpoints_strictly,
                                          setup_launcher)
from mmpose_hourglass_ext.utils import choose_fast_mode


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
                        help='mixed precision: on a GPU through mmengine\'s '
                        'AmpOptimWrapper, fp16 (default, dynamic loss '
                        'scaling) or bf16; on a CPU bf16 autocast '
                        '(CPUAmpOptimWrapper)')
    parser.add_argument('--channels-last', action='store_true',
                        help='NHWC memory layout (ChannelsLastHook)')
    parser.add_argument(
        '--fast-mode', choices=['auto', 'on', 'off'],
        help='bf16 autocast + channels-last: on, off (float32, NCHW) or '
        'auto (on where the CPU runs bf16 natively). Default: the '
        'config\'s fast_mode (the package\'s CPU recipes: auto), else off')
    parser.add_argument('--compile', action='store_true',
                        help='torch.compile the unit the backbone repeats '
                        '(each stack\'s hourglass: one graph for all '
                        'stacks; CompileBackboneHook)')
    parser.add_argument('--cuda-graphs', action='store_true',
                        help='--compile with CUDA graphs (torch.compile '
                        "mode='reduce-overhead'): GPU only, fixed shapes "
                        '(train_dataloader.drop_last=True)')
    parser.add_argument('--no-validate', action='store_true',
                        help='skip validation during training')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='scale the lr by total batch size / '
                        'auto_scale_lr.base_batch_size')
    add_visualization_args(parser)
    add_common_args(parser)
    return parser.parse_args()


def add_hook(cfg: Config, hook: dict) -> None:
    cfg.custom_hooks = list(cfg.get('custom_hooks', [])) + [hook]


def set_fast_mode(cfg: Config, args) -> None:
    """Precision and layout (utils/fast_mode.py); the choice and its reason
    are the first line this tool prints, and stay in the saved config."""
    import torch
    on_gpu = torch.cuda.is_available()
    mode = choose_fast_mode(args.fast_mode or cfg.get('fast_mode', 'off'),
                            args.amp, args.channels_last, on_gpu,
                            iters=(cfg.get('train_cfg') or {}).get(
                                'max_iters'))
    if mode.compile and cfg.get('compile', None) is False:
        mode = mode._replace(compile=False, reason=f'{mode.reason} (not '
                             'compiled: the config sets compile=False)')
    print(f'[train.py] training in {mode.describe()}', flush=True)
    cfg.fast_mode_used = mode.describe()  # the choice, for the record
    if mode.amp and on_gpu:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.dtype = dict(fp16='float16',
                                       bf16='bfloat16')[mode.amp]
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    elif mode.amp:
        if mode.amp != 'bf16':
            raise SystemExit('--amp fp16 needs a CUDA GPU; on CPU use '
                             '--amp bf16')
        if cfg.optim_wrapper.get('type', 'OptimWrapper') != 'OptimWrapper':
            raise SystemExit(
                f'--amp bf16 on CPU replaces optim_wrapper.type, but this '
                f'config sets {cfg.optim_wrapper.type!r}; train without '
                '--amp/fast mode (--fast-mode off)')
        cfg.optim_wrapper.type = 'CPUAmpOptimWrapper'
        cfg.optim_wrapper.dtype = 'bfloat16'
    if mode.channels_last:
        add_hook(cfg, dict(type='ChannelsLastHook'))
    if mode.compile and not cfg.get('compile'):
        cfg.compile = True  # regional compilation, below


def build_cfg(args) -> Config:
    cfg = load_config(args)
    if args.no_validate:
        cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    apply_visualization_args(cfg, args)
    added = keep_package_hooks(cfg)
    if added:
        print(f"[train.py] the config's custom_hooks leave out the package's "
              f"{', '.join(added)}: added (they stop a diverging run before "
              'it saves, and keep CPU training at speed)', flush=True)
    set_fast_mode(cfg, args)
    # mmengine's `compile` option (config or --compile) runs through
    # CompileBackboneHook: mmengine would compile the whole train_step,
    # where dynamo fails on its data samples (engine/speed_hooks.py)
    compile_cfg = cfg.get('compile')
    compile_kwargs = dict(compile_cfg) if isinstance(compile_cfg, dict) else {}
    if args.cuda_graphs:
        compile_kwargs['mode'] = 'reduce-overhead'
    if args.compile or compile_cfg or compile_kwargs:
        if compile_kwargs.get('mode') == 'reduce-overhead':
            import torch

            from mmpose_hourglass_ext.utils.regional_compile import \
                check_cuda_graphs
            check_cuda_graphs(cfg, compile_kwargs, torch.cuda.is_available())
        add_hook(cfg, dict(type='CompileBackboneHook', **compile_kwargs))
        cfg.compile = None
    claim_work_dir(cfg.work_dir)  # before its checkpoints are looked at
    target = check_work_dir(cfg.work_dir, args.resume, args.overwrite)
    if args.resume is not None:
        cfg.resume = True
        # the work dir's own last checkpoint, found relative to it
        cfg.load_from = target if args.resume == 'auto' else args.resume
    if args.auto_scale_lr:
        cfg.auto_scale_lr.enable = True
    return setup_launcher(cfg, args.launcher)


def main():
    args = parse_args()
    try:
        cfg = build_cfg(args)
    except (OSError, ValueError) as err:  # set-up errors name their fix
        raise SystemExit(f'tools/train.py: {err}')
    with explain_run_errors('tools/train.py'):
        runner = Runner.from_cfg(cfg)  # formats and dumps the config
        load_checkpoints_strictly(runner, args.config)
        runner.train()
    finish_launcher()


if __name__ == '__main__':
    main()
