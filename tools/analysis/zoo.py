"""The model zoo: train every entry under one protocol, test each on the
1000 LSP test images, and write one table, one JSON and the plots.

    python tools/analysis/zoo.py                    # every configs/zoo entry
    python tools/analysis/zoo.py --only td-hm_mssh3-56_1xb16-1000it_lsp+lspet-128x128
    python tools/analysis/zoo.py --force            # redo entries with results
    python tools/analysis/zoo.py --background       # detach; log in work dir
    python tools/analysis/zoo.py --render           # outputs from the JSON
    make zoo                                        # the same as the first

Each entry is a config (default: ``configs/zoo/*.py``), trained through this
package's ``tools/train.py`` (MMPose's runner, no validation) into
``<work-dir>/<config name>/`` and tested with ``tools/test.py`` (the
config's test set and flip test). Entries run one after another. An entry
whose result is already in the JSON is skipped unless ``--force``; an
entry interrupted during training resumes from its last checkpoint, so a
killed zoo loses at most the entry in progress's last 100 iterations.

Measured per entry: parameters and GFLOPs of the network (mmengine's
count, one image), training images/s (median logged iteration time),
CPU inference ms/image (network forward at batch 1, no flip, median of 20),
PCK@0.2 per joint group and Total, PCP@0.5 Total, training and total wall
time, and the training-loss curve. Written to ``--out`` (JSON), the
Markdown table (``--table``), the three plots (``--plots``) and, between
its zoo markers, ``--readme``.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README_BEGIN = '<!-- zoo table: written by tools/analysis/zoo.py -->'
README_END = '<!-- end of zoo table -->'
GROUPS = ('Head', 'Shoulder', 'Elbow', 'Wrist', 'Hip', 'Knee', 'Ankle')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--configs', nargs='+',
                        help='entry configs (default: configs/zoo/*.py)')
    parser.add_argument('--only', nargs='+', metavar='NAME',
                        help='run only these entries (config names)')
    parser.add_argument('--force', action='store_true',
                        help='train and test entries that have a result')
    parser.add_argument('--work-dir', default='work_dirs/zoo')
    parser.add_argument('--out', default='benchmarks/zoo_lsp_cpu.json')
    parser.add_argument('--table', default='docs/zoo_lsp_cpu.md')
    parser.add_argument('--plots', default='docs/zoo',
                        help='folder for the PNG plots')
    parser.add_argument('--readme', default='README.md',
                        help="file whose zoo markers get the table ('' = "
                        'none)')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='passed to tools/train.py and tools/test.py '
                        '(e.g. fewer iterations for a trial run)')
    parser.add_argument('--background', action='store_true',
                        help='run detached, logging to <work-dir>/zoo.log')
    parser.add_argument('--render', action='store_true',
                        help='only rewrite the table, plots and README '
                        'section from --out (no training)')
    return parser.parse_args(argv)


def entry_configs(args):
    configs = [Path(c) for c in args.configs] if args.configs else sorted(
        (ROOT / 'configs' / 'zoo').glob('*.py'))
    if args.only:
        unknown = set(args.only) - {c.stem for c in configs}
        if unknown:
            sys.exit(f'--only: no entry named {sorted(unknown)}; entries: '
                     f'{[c.stem for c in configs]}')
        configs = [c for c in configs if c.stem in args.only]
    return configs


def machine_busy_seconds():
    """CPU seconds the whole machine has been busy (all cores; Linux's
    /proc/stat), or None elsewhere."""
    try:
        with open('/proc/stat') as f:
            values = [int(v) for v in f.readline().split()[1:8]]
    except OSError:
        return None
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values) - idle) / os.sysconf('SC_CLK_TCK')


def children_cpu_seconds() -> float:
    times = os.times()
    return times.children_user + times.children_system


def run_tool(log, *cmd) -> 'tuple[float, float | None]':
    """Run ``python tools/<cmd>`` appending its output to ``log``. Returns
    the wall time and the CPU seconds that other processes used meanwhile
    (how shared the machine was). Exits naming the log when the tool
    fails."""
    cmd = [sys.executable, str(ROOT / 'tools' / cmd[0]), *map(str, cmd[1:])]
    print('+', ' '.join(cmd), flush=True)
    start, busy, own = (time.monotonic(), machine_busy_seconds(),
                        children_cpu_seconds())
    with open(log, 'a') as f:
        code = subprocess.run(cmd, cwd=ROOT, stdout=f,
                              stderr=subprocess.STDOUT).returncode
    if code:
        sys.exit(f'{cmd[1]} exited {code}; its output is in {log}')
    busy_after = machine_busy_seconds()
    others = (None if busy is None else max(
        0., busy_after - busy - (children_cpu_seconds() - own)))
    return time.monotonic() - start, others


def fast_mode_of(log: Path):
    """The precision/layout tools/train.py said it trained in (its first
    line), from the entry's log; the last run's when it was resumed."""
    found = [line.split('training in ', 1)[1].strip()
             for line in log.read_text(errors='replace').splitlines()
             if line.startswith('[train.py] training in ')]
    return found[-1] if found else None


def final_checkpoint(work: Path, max_iters: int):
    ckpt = work / f'iter_{max_iters}.pth'
    return ckpt if ckpt.is_file() else None


def resumable(work: Path) -> bool:
    last = work / 'last_checkpoint'
    return last.is_file() and Path(last.read_text().strip()).is_file()


def loss_curve(work: Path):
    """(iteration, loss, iteration time) of every logged training
    iteration, across the runs of a resumed entry."""
    from mmpose_hourglass_ext.utils.logs import read_curves
    curves = read_curves(work, ('loss', 'time'))
    times = dict(curves['time'])
    return [(step, loss, times.get(step)) for step, loss in curves['loss']]


def measure_model(config: Path, ckpt: Path, cfg_options):
    """Params, GFLOPs and batch-1 forward time of the trained network."""
    import torch
    from mmengine.config import Config, DictAction
    from mmpose.apis import init_model

    from mmpose_hourglass_ext.utils.analysis import complexity, count_params
    from mmpose_hourglass_ext.apis.export import LastStageHeatmaps

    namespace = argparse.Namespace(cfg_options={})
    if cfg_options:
        DictAction(option_strings=[], dest='cfg_options')(None, namespace,
                                                          cfg_options)
    cfg = Config.fromfile(str(config))
    cfg.merge_from_dict(namespace.cfg_options)
    model = init_model(cfg, str(ckpt), device='cpu')
    w, h = cfg.model.head.decoder.input_size
    # the whole network, backbone and head: MMPose's peers keep their
    # deconvolutions in the head (ours have none there)
    _, flops = complexity(LastStageHeatmaps(model), (h, w))
    params = count_params(model)
    x = torch.randn(1, 3, h, w)
    times = []
    with torch.no_grad():
        for i in range(25):
            start = time.perf_counter()
            model(x, None, mode='tensor')
            if i >= 5:
                times.append(time.perf_counter() - start)
    return dict(params_M=round(params / 1e6, 3),
                GFLOPs=round(flops / 1e9, 3),
                infer_ms_per_image=round(1e3 * statistics.median(times), 2),
                backbone=cfg.model.backbone.type,
                input_hw=[h, w],
                num_stages=cfg.model.head.num_stages,
                iterations=cfg.train_cfg.max_iters,
                batch_size=cfg.train_dataloader.batch_size)


def run_entry(config: Path, args) -> dict:
    from mmengine.config import Config
    cfg = Config.fromfile(str(config))
    work = (ROOT / args.work_dir / config.stem).resolve()
    work.mkdir(parents=True, exist_ok=True)
    log = work / 'zoo_entry.log'
    state_file = work / 'zoo_state.json'
    state = dict(train_seconds=0., others_cpu_seconds=0.)
    if state_file.is_file():
        state.update(json.loads(state_file.read_text()))
    max_iters = cfg.train_cfg.max_iters
    options = ['--cfg-options', *args.cfg_options] if args.cfg_options else []
    for option in args.cfg_options:  # a trial run may shorten the schedule
        if option.startswith('train_cfg.max_iters='):
            max_iters = int(option.split('=', 1)[1])
    ckpt = final_checkpoint(work, max_iters)
    if ckpt is None or args.force:
        resume = (['--overwrite'] if args.force else
                  ['--resume'] if resumable(work) else [])
        if args.force:
            state.update(train_seconds=0., others_cpu_seconds=0.)
        seconds, others = run_tool(
            log, 'train.py', config, '--work-dir', work, '--no-validate',
            *resume, *options)
        state['train_seconds'] += seconds
        if others is None or state['others_cpu_seconds'] is None:
            state['others_cpu_seconds'] = None
        else:
            state['others_cpu_seconds'] += others
        state_file.write_text(json.dumps(state))
        ckpt = final_checkpoint(work, max_iters)
        if ckpt is None:
            sys.exit(f'training {config.stem} ended without '
                     f'iter_{max_iters}.pth in {work}; see {log}')
    metrics_file = work / 'test_metrics.json'
    test_seconds, _ = run_tool(log, 'test.py', config, ckpt, '--work-dir', work,
                            '--out', metrics_file, *options)
    metrics = json.loads(metrics_file.read_text())
    curve = loss_curve(work)
    iter_times = [t for _, _, t in curve if t is not None]
    row = measure_model(config, ckpt, args.cfg_options)
    row.update(
        config=str(config.relative_to(ROOT) if config.is_absolute()
                   and ROOT in config.parents else config),
        checkpoint=str(ckpt),
        train_images_per_s=(round(row['batch_size'] /
                                  statistics.median(iter_times), 1)
                            if iter_times else None),
        train_minutes=round(state['train_seconds'] / 60, 2),
        fast_mode=fast_mode_of(log),
        # other processes' share of the machine while this entry trained:
        # above ~0.1 its train time is not that of a machine to itself
        shared_fraction=(None if state['others_cpu_seconds'] is None else
                         round(state['others_cpu_seconds'] / (
                             state['train_seconds'] * os.cpu_count()), 3)),
        total_minutes=round((state['train_seconds'] + test_seconds) / 60, 2),
        metrics={k: round(v, 4) for k, v in metrics.items()
                 if isinstance(v, (int, float))},
        loss_curve=[[step, round(loss, 6)] for step, loss, _ in curve])
    return row


def label(name: str) -> str:
    """``td-hm_sghg2-44-gate-none_1xb16-...`` -> ``sghg2-44-gate-none``."""
    parts = name.split('_')
    return parts[1] if len(parts) > 2 else name


def precision(row: dict) -> str:
    mode = row.get('fast_mode') or 'float32'
    return 'bf16 + channels-last' if mode.startswith('bf16') else 'float32'


def shared(row: dict) -> str:
    """How much of the machine other processes took while the entry
    trained ('-': not recorded; the first zoo ran each entry alone)."""
    fraction = row.get('shared_fraction')
    return '-' if fraction is None else f'{100 * fraction:.0f}%'


def markdown_table(results: dict) -> str:
    head = ('| entry | backbone | params (M) | GFLOPs | train img/s | '
            'infer ms/img | ' + ' | '.join(GROUPS) +
            ' | PCK@0.2 Total | PCP@0.5 Total | train min | total min | '
            'precision | machine shared |')
    lines = [head, '|' + '---|' * (head.count('|') - 1)]
    order = sorted(results, key=lambda n: -results[n]['metrics'].get(
        'PCK@0.2/Total', 0))
    for name in order:
        r = results[name]
        m = r['metrics']
        pck = [f"{100 * m.get(f'PCK@0.2/{g}', float('nan')):.1f}"
               for g in GROUPS]
        lines.append(
            f"| [{label(name)}]({r['config']}) | {r['backbone']} | "
            f"{r['params_M']:.3f} | {r['GFLOPs']:.3f} | "
            f"{r['train_images_per_s']} | {r['infer_ms_per_image']:.1f} | "
            + ' | '.join(pck) +
            f" | **{100 * m.get('PCK@0.2/Total', float('nan')):.1f}** | "
            f"{100 * m.get('PCP@0.5/Total', float('nan')):.1f} | "
            f"{r['train_minutes']:.1f} | {r['total_minutes']:.1f} | "
            f"{precision(r)} | {shared(r)} |")
    return '\n'.join(lines) + '\n'


def stage_count(row: dict) -> int:
    if 'num_stages' not in row:  # rows written before the field existed
        from mmengine.config import Config
        row['num_stages'] = Config.fromfile(
            str(ROOT / row['config'])).model.head.num_stages
    return row['num_stages']


def plot(results: dict, folder: Path) -> list:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    import matplotlib.ticker
    folder.mkdir(parents=True, exist_ok=True)
    names = sorted(results)
    pck = [100 * results[n]['metrics'].get('PCK@0.2/Total', float('nan'))
           for n in names]
    written = []
    for key, xlabel, fname in (
            ('params_M', 'parameters (M)', 'pck_vs_params.png'),
            ('train_minutes', 'training time on 2 CPU cores (min)',
             'pck_vs_train_time.png')):
        fig, ax = plt.subplots(figsize=(7, 4.5))
        # labels alternate above and below, in the order of the scores, so
        # entries with close scores do not print over each other
        for i, (y, name) in enumerate(sorted(zip(pck, names))):
            x = results[name][key]
            ax.scatter(x, y, s=30)
            ax.annotate(label(name), (x, y), textcoords='offset points',
                        xytext=(5, 4 if i % 2 else -10), fontsize=7)
        if key == 'train_minutes':
            ax.set_xscale('log')  # minutes-long entries next to an hour
            ax.set_xticks([2, 3, 5, 10, 20, 30, 60])
            ax.xaxis.set_major_formatter(
                matplotlib.ticker.ScalarFormatter())
            ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_xlabel(xlabel)
        ax.set_ylabel('LSP test PCK@0.2 Total (%)')
        ax.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(folder / fname, dpi=110)
        plt.close(fig)
        written.append(folder / fname)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name in names:
        curve = results[name]['loss_curve']
        if curve:
            steps, losses = zip(*curve)
            # the heads sum the loss over stacks: per stack, comparable
            stages = stage_count(results[name])
            ax.plot(steps, [v / stages for v in losses], label=label(name),
                    lw=1)
    ax.set_yscale('log')
    ax.set_xlabel('iteration')
    ax.set_ylabel('training loss per stack (heatmap MSE)')
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(folder / 'training_loss.png', dpi=110)
    plt.close(fig)
    written.append(folder / 'training_loss.png')
    return written


def write_readme(readme: Path, table: str) -> None:
    from mmpose_hourglass_ext.utils.analysis import replace_marked_block
    if not replace_marked_block(readme, README_BEGIN, README_END, table,
                                append=False):
        print(f'{readme} has no zoo markers; table not copied there')


def write_outputs(results: dict, args) -> None:
    table = markdown_table(results)
    Path(args.table).parent.mkdir(parents=True, exist_ok=True)
    Path(args.table).write_text(
        '<!-- written by tools/analysis/zoo.py from '
        f'{args.out}; do not edit -->\n' + table)
    plot(results, Path(args.plots))
    if args.readme:
        write_readme(Path(args.readme), table)
    print(table)


def background(args) -> None:
    work = ROOT / args.work_dir
    work.mkdir(parents=True, exist_ok=True)
    log = work / 'zoo.log'
    argv = [a for a in sys.argv[1:] if a != '--background']
    with open(log, 'a') as f:
        proc = subprocess.Popen([sys.executable, __file__, *argv], cwd=ROOT,
                                stdout=f, stderr=subprocess.STDOUT,
                                start_new_session=True)
    print(f'zoo running in the background (pid {proc.pid}); log: {log}')


def main(argv=None):
    args = parse_args(argv)
    if args.background:
        return background(args)
    from mmpose_hourglass_ext.utils.analysis import update_results
    out = Path(args.out)
    if args.render:
        if not out.is_file():
            sys.exit(f'--render: {out} not found')
        return write_outputs(json.loads(out.read_text()), args)
    configs = entry_configs(args)
    done = json.loads(out.read_text()) if out.is_file() else {}
    for i, config in enumerate(configs, 1):
        if config.stem in done and not args.force:
            print(f'[{i}/{len(configs)}] {config.stem}: result in {out}, '
                  'skipped (--force to redo)', flush=True)
            continue
        print(f'[{i}/{len(configs)}] {config.stem}', flush=True)
        row = run_entry(config, args)
        row['finished'] = time.strftime('%Y-%m-%d %H:%M:%S')
        row['machine'] = f'{os.cpu_count()} CPU cores'
        update_results(out, {config.stem: row})
        done = json.loads(out.read_text())
        write_outputs(done, args)
    if done:
        write_outputs(done, args)


if __name__ == '__main__':
    main()
