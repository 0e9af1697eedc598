"""The model zoo: train every entry under one protocol, test each on the
1000 LSP test images, and write one table, one JSON and the plots.

    python tools/analysis/zoo.py                    # every configs/zoo entry
    python tools/analysis/zoo.py --only td-hm_mssh3-80_1xb16-10000it_lsp+lspet-128x128
    python tools/analysis/zoo.py --force            # redo entries with results
    python tools/analysis/zoo.py --background       # detach; log in work dir
    python tools/analysis/zoo.py --render           # outputs from the JSON
    python tools/analysis/zoo.py --remeasure        # batch-1 inference, alone
    python tools/analysis/zoo.py --retime           # train speed, alone
    make zoo                                        # the same as the first

Each entry is a config (default: ``configs/zoo/*.py``), trained through this
package's ``tools/train.py`` (MMPose's runner, no validation) into
``<work-dir>/<config name>/`` and tested with ``tools/test.py`` (the
config's test set and flip test). Entries run one after another. An entry
whose result is already in the JSON is skipped unless ``--force``; an
entry interrupted during training resumes from its last checkpoint, so a
killed zoo loses at most the iterations since the entry's last checkpoint
(every 500 in ``configs/_base_/zoo_lsp+lspet_128x128.py``).

Measured per entry: parameters and GFLOPs of the network (mmengine's
count, one image), training images/s (median logged iteration time),
CPU inference ms/image (network forward at batch 1, no flip, median of 20),
PCK@0.2 per joint group and Total, PCP@0.5 Total, the training time at
that speed ("train min", iterations x batch / images/s: what the entry
takes on a machine to itself; ``--retime`` adds short runs alone and the
table shows their median) and by the wall clock (with pauses, sharing and
iterations redone after a kill), the share of the machine other
processes took, and the training-loss curve. Written to ``--out`` (JSON),
the Markdown table (``--table``), the four plots (``--plots``) and,
between its zoo markers, a compact table in ``--readme``.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from mmpose_hourglass_ext.utils.tool_runner import run_tool
from mmpose_hourglass_ext.utils.zoo_report import (TOTAL, Comparison,
                                                   entry_label, mean_std,
                                                   pace_minutes, summarize,
                                                   verdict_table)

ROOT = Path(__file__).resolve().parents[2]
# a retime run beside other work this busy is not recorded (other
# processes' share of the machine's CPU time; the zoo's own rule for a
# training that "had the machine")
MAX_RETIME_SHARE = 0.1
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
    parser.add_argument('--remeasure', action='store_true',
                        help='re-time the batch-1 inference (and recount '
                        'params/GFLOPs) of entries that have a result, from '
                        'their recorded checkpoints: run it with the '
                        'machine to itself (no training or testing)')
    parser.add_argument('--retime', action='store_true',
                        help='re-measure the train images/s (and so the '
                        'train minutes) of entries that have a result with '
                        'a short training run each; the row keeps the '
                        'median over every --retime run: run it a few '
                        'times, with the machine to itself')
    parser.add_argument('--retime-iters', type=int, default=200,
                        help='iterations of each --retime run (the first '
                        'quarter is warm-up, not counted)')
    parser.add_argument('--render', action='store_true',
                        help='only rewrite the table, plots and README '
                        'section from --out (no training)')
    return parser.parse_args(argv)


def entry_configs(args):
    # configs/zoo/equal_time/: MMPose's peers given the soft-gated model's
    # training minutes instead of its iterations
    configs = [Path(c) for c in args.configs] if args.configs else sorted(
        (ROOT / 'configs' / 'zoo').glob('*.py')) + sorted(
            (ROOT / 'configs' / 'zoo' / 'equal_time').glob('*.py'))
    if args.only:
        unknown = set(args.only) - {c.stem for c in configs}
        if unknown:
            sys.exit(f'--only: no entry named {sorted(unknown)}; entries: '
                     f'{[c.stem for c in configs]}')
        configs = [c for c in configs if c.stem in args.only]
    return configs


def fast_mode_of(log: Path):
    """The precision/layout tools/train.py said it trained in (its first
    line), from the entry's log; the last run's when it was resumed."""
    found = [line.split('training in ', 1)[1].strip()
             for line in log.read_text(errors='replace').splitlines()
             if line.startswith('[train.py] training in ')]
    return found[-1] if found else None


def in_checkout(path: Path) -> str:
    """A path inside this checkout as relative to it: a row names the
    entry's config and checkpoint in whatever clone (or worktree) trained
    it, and an absolute path into that clone would mean nothing in the
    next one; --remeasure resolves it against the checkout it runs in."""
    path = Path(path)
    return str(path.relative_to(ROOT) if path.is_absolute()
               and ROOT in path.parents else path)


def final_checkpoint(work: Path, max_iters: int):
    ckpt = work / f'iter_{max_iters}.pth'
    return ckpt if ckpt.is_file() else None


def resumable(work: Path) -> bool:
    last = work / 'last_checkpoint'
    return last.is_file() and Path(last.read_text().strip()).is_file()


def images_per_s(batch_size: int, iter_times: list):
    """Training images/s at the median logged iteration time (None
    without one): the zoo's train speed, from a training or a --retime run."""
    return (round(batch_size / statistics.median(iter_times), 1)
            if iter_times else None)


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
                num_stages=cfg.model.head.get('num_stages', 1),  # HeatmapHead: 1
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
        before = dict(state)

        def record(seconds, others):
            # also called every minute during training: an entry killed
            # with the zoo (and resumed later) keeps its training time
            state['train_seconds'] = before['train_seconds'] + seconds
            state['others_cpu_seconds'] = (
                None if others is None or before['others_cpu_seconds'] is None
                else before['others_cpu_seconds'] + others)
            state_file.write_text(json.dumps(state))

        record(*run_tool(
            ROOT, 'train.py', config, '--work-dir', work, '--no-validate',
            *resume, *options, log=log, progress=record))
        ckpt = final_checkpoint(work, max_iters)
        if ckpt is None:
            sys.exit(f'training {config.stem} ended without '
                     f'iter_{max_iters}.pth in {work}; see {log}')
    metrics_file = work / 'test_metrics.json'
    test_seconds, _ = run_tool(ROOT, 'test.py', config, ckpt, '--work-dir',
                               work, '--out', metrics_file, *options, log=log)
    metrics = json.loads(metrics_file.read_text())
    extra = {}
    if cfg.get('val_dataloader') and (cfg.val_dataloader !=
                                      cfg.test_dataloader):
        # a second evaluation set (the MPII configs' held-out train
        # images beside the 13 validation persons of the test set)
        val_file = work / 'val_metrics.json'
        run_tool(ROOT, 'test.py', config, ckpt, '--work-dir', work, '--out',
                 val_file, '--split', 'val', *options, log=log)
        extra['val_metrics'] = {
            k: round(v, 4) for k, v in json.loads(val_file.read_text()
                                                  ).items()
            if isinstance(v, (int, float))}
    curve = loss_curve(work)
    iter_times = [t for _, _, t in curve if t is not None]
    row = measure_model(config, ckpt, args.cfg_options)
    row.update(
        config=in_checkout(config),
        checkpoint=in_checkout(ckpt),
        train_images_per_s=images_per_s(row['batch_size'], iter_times),
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
        loss_curve=[[step, round(loss, 6)] for step, loss, _ in curve],
        **extra)
    if cfg.get('load_from'):  # a fine-tune: its minutes add to its start's
        row['started_from'] = cfg.load_from
    return row


# Each paper's claim at the zoo's budget (model labels: config names
# without the td-hm_ prefix, schedule and seed)
COMPARISONS = (
    Comparison('sghg2-64', 'sghg2-64-gate-none',
               'Bulat et al. (Table II): the per-channel soft gate helps'),
    Comparison('mssh3-80', 'mssh3-80-uniform-loss',
               'MSSH (Alg. 1): adaptive keypoint weights beat uniform ones'),
    Comparison('res50x2-b7', 'res50x1-b10',
               'Su et al. (Table 1): two stages beat one at equal '
               'parameters'),
    Comparison('sghg2-64', 'hourglass2-90',
               "Bulat et al.: soft-gated beats Newell's hourglass"),
    Comparison('mssh3-80', 'hourglass2-90',
               "MSSH: multi-scale input and adaptive loss beat Newell's"),
    Comparison('dchg4-64', 'hourglass2-90',
               "Liu & Ding: dense connections beat Newell's hourglass"),
    Comparison('rshg5-58', 'hourglass2-90',
               "Yoo et al.: residual highways beat Newell's hourglass"),
    Comparison('sghg2-64', 'mmpose-res18-b16-equal-time',
               "soft-gated beats MMPose's SimpleBaseline (ResNet-18) given "
               'the same training minutes'),
    Comparison('sghg2-64', 'mmpose-hrnet-w12-equal-time',
               "soft-gated beats MMPose's HRNet (W12) given the same "
               'training minutes'),
)
# MMPose's HourglassNet cannot be built within the budget (its stem alone
# has 0.94M parameters), so its claim says what it is compared at
PEERS = {'mmpose-res18-b16':
         "MMPose's SimpleBaseline (ResNet-18) at this budget",
         'mmpose-hrnet-w12': "MMPose's HRNet (W12) at this budget",
         'mmpose-hourglassnet1-32':
         "MMPose's HourglassNet (1 stack) at its smallest build, 4.27M "
         'parameters (5x the budget)',
         'mmpose-rtmpose-c192': "MMPose's RTMPose (CSPNeXt + RTMCCHead, "
         'SimCC) at this budget',
         'mmpose-rtmpose-t': "MMPose's RTMPose-t, its smallest published "
         'size (3.17M parameters)'}


def comparisons(summaries: dict) -> list:
    """The papers' claims, then our best model against each of MMPose's
    (the best chosen by the mean PCK@0.2 Total)."""
    ours = [s for label, s in summaries.items() if label not in PEERS]
    found = list(COMPARISONS)
    if ours:
        best = max(ours, key=lambda s: s.mean[TOTAL]).label
        found += [Comparison(best, peer, f'our best model beats {name}')
                  for peer, name in PEERS.items()]
    return found


def precision(row: dict) -> str:
    mode = row.get('fast_mode') or 'float32'
    return 'bf16 + channels-last' if mode.startswith('bf16') else 'float32'


def cpu(run: dict) -> str:
    """The CPU the run's speeds and minutes were measured on, short:
    ``this_machine()``'s text less the core count, trademarks and notes
    ('-': rows from before it was recorded)."""
    machine = run.get('machine')
    if not machine:
        return '-'
    name = machine.split(', ', 1)[-1]  # every row: 2 cores
    return re.sub(r'\(R\)|\(TM\)| Processor|;[^)]*', '', name)


def shared(run: dict) -> str:
    """How much of the machine other processes took while the run trained
    ('-': not recorded). The row shows the seed-0 run's, as it shows that
    run's speeds and minutes, which this qualifies."""
    fraction = run.get('shared_fraction')
    return '-' if fraction is None else f'{100 * fraction:.0f}%'


def minutes(value) -> str:
    return '-' if value is None else f'{value:.1f}'


def markdown_table(results: dict) -> str:
    """One row per model; a model run with several seeds shows mean ± std
    (sample standard deviation over its runs)."""
    summaries = summarize(results)
    head = ('| entry | backbone | params (M) | GFLOPs | train img/s | '
            'infer ms/img | ' + ' | '.join(GROUPS) +
            ' | PCK@0.2 Total | PCP@0.5 Total | seeds | train min | '
            'wall min | CPU | precision | machine shared |')
    lines = [head, '|' + '---|' * (head.count('|') - 1)]
    notes = []  # a run's `note` (a pause, a commit) becomes a footnote
    for s in sorted(summaries.values(), key=lambda s: -s.mean[TOTAL]):
        marks = ''
        for note in dict.fromkeys(r['note'] for r in s.runs if r.get('note')):
            if note not in notes:  # seed runs may share one
                notes.append(note)
            marks += f' [{notes.index(note) + 1}]'
        pck = [f"{100 * s.mean.get(f'PCK@0.2/{g}', float('nan')):.1f}"
               for g in GROUPS]
        pcp = ('-' if 'PCP@0.5/Total' not in s.mean else
               mean_std(s, 'PCP@0.5/Total'))
        lines.append(
            f"| [{s.label}]({s.first('config')}){marks} | "
            f"{s.first('backbone')} | "
            f"{s.first('params_M'):.3f} | {s.first('GFLOPs'):.3f} | "
            f"{s.first('train_images_per_s')} | "
            f"{s.first('infer_ms_per_image'):.1f} | " + ' | '.join(pck) +
            f' | **{mean_std(s, TOTAL)}** | {pcp} | {s.n} | '
            f"{minutes(pace_minutes(s.runs[0]))} | "
            f"{minutes(s.runs[0].get('train_minutes'))} | {cpu(s.runs[0])} | "
            f"{precision(s.runs[0])} | {shared(s.runs[0])} |")
    footnotes = ''.join(f'\n[{i}] {note}\n'
                        for i, note in enumerate(notes, 1))
    return ('\n'.join(lines) + '\n' + footnotes + '\n' +
            verdict_table(summaries, comparisons(summaries)))


def compact_table(results: dict, page: str) -> str:
    """The README's view: one row per model, its size, accuracy and
    training time; everything else is on the full ``page``."""
    summaries = summarize(results)
    lines = ['| model | backbone | params (M) | LSP PCK@0.2 Total (%) | '
             'train min (2 CPU cores) |', '|---|---|---|---|---|']
    for s in sorted(summaries.values(), key=lambda s: -s.mean[TOTAL]):
        seeds = f' ({s.n} seeds)' if s.n > 1 else ''
        # a CPU without native bf16 trains in float32, about twice as long
        slow = (' (float32)' if precision(s.runs[0]) == 'float32' else '')
        lines.append(
            f"| [{s.label}]({s.first('config')}) | {s.first('backbone')} | "
            f"{s.first('params_M'):.2f} | **{mean_std(s, TOTAL)}**{seeds} | "
            f'{minutes(pace_minutes(s.runs[0]))}{slow} |')
    return '\n'.join(lines) + (
        f'\n\nPer joint group, PCP, speeds, CPUs, footnotes and each claim '
        f'with its verdict against the seed noise: [{page}]({page}).\n')


def stage_count(row: dict) -> int:
    if 'num_stages' not in row:  # rows written before the field existed
        from mmengine.config import Config
        row['num_stages'] = Config.fromfile(
            str(ROOT / row['config'])).model.head.get('num_stages', 1)
    return row['num_stages']


def spread_labels(fig, texts, step: float = 3.) -> None:
    """Place each annotation label inside the axes where it overlaps no
    other label and no other entry's marker: right of its point, nudged up
    or down a little, else left of it, else further down on either side
    (close scores would print over each other, a label above the frame
    runs into the title, and a label pushed far off its point names the
    wrong one). Where nothing is free, the label stays beside its point."""
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = texts[0].axes.get_window_extent(renderer) if texts else None
    placed = []
    for text in texts:  # each marker, a few pixels around its point
        x, y = text.axes.transData.transform(text.xy)
        placed.append(Bbox.from_extents(x - 4, y - 4, x + 4, y + 4))
    nudges = [0.]
    for k in range(1, 5):
        nudges += [-k * step, k * step]
    for text in texts:
        x, y = text.get_position()  # offset points, right of the point
        candidates = ([(x, y + d, 'left') for d in nudges] +
                      [(-x, y + d, 'right') for d in nudges] +
                      [(sx, y - k * step, align) for k in range(5, 40)
                       for sx, align in ((x, 'left'), (-x, 'right'))])
        for cx, cy, align in candidates:
            text.set_position((cx, cy))
            text.set_horizontalalignment(align)
            # the text alone: an annotation's own extent spans its line
            # to the point, and so always covers that point's marker
            box = Text.get_window_extent(text, renderer).expanded(1.02, 1.1)
            inside = (frame.x0 <= box.x0 and box.x1 <= frame.x1
                      and frame.y0 <= box.y0 and box.y1 <= frame.y1)
            if inside and not any(box.overlaps(o) for o in placed):
                break
        else:  # nowhere free: beside its point, where it names the point
            text.set_position(candidates[0][:2])
            text.set_horizontalalignment('left')
        placed.append(Text.get_window_extent(text, renderer))


def colours(summaries: list) -> dict:
    """One colour per model, the same in every plot: a hue per backbone
    (matplotlib's tab20 pairs), its dark shade for the backbone's first
    model and the light one for the second, so that an ablation pair
    (soft-gated with and without its gate, MSSH's two losses, Su et al.'s
    one and two stages) reads as one pair (a third model of a backbone
    would repeat the first's colour; the zoo has none). The default
    cycle repeats after ten colours, and the zoo has more models."""
    import matplotlib.pyplot as plt
    hues, shades, out = {}, {}, {}
    for s in summaries:
        backbone = s.runs[0].get('backbone')
        hue = hues.setdefault(backbone, len(hues))
        shade = shades[backbone] = shades.get(backbone, -1) + 1
        out[s.label] = plt.cm.tab20((2 * hue + shade % 2) % 20)
    return out


def plot(results: dict, folder: Path) -> list:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    import matplotlib.ticker
    from matplotlib.colors import to_rgb
    folder.mkdir(parents=True, exist_ok=True)
    summaries = sorted(summarize(results).values(),
                       key=lambda s: -s.mean[TOTAL])
    colour = colours(summaries)
    written = []
    for x_of, xlabel, fname, timed in (
            (lambda s: s.first('params_M'), 'parameters (M)',
             'pck_vs_params.png', False),
            (lambda s: pace_minutes(s.runs[0]), 'training time on 2 CPU '
             'cores (min: iterations x batch / median measured img/s)',
             'pck_vs_train_time.png', True)):
        fig, ax = plt.subplots(figsize=(7.5, 4.8))
        texts = []
        points = [(s, x) for s in summaries  # None: no logged iteration
                  if (x := x_of(s)) is not None]
        # an over-budget reference (MMPose's HourglassNet: 5x) would
        # squeeze the budget's entries into one blur: it is named at the
        # right edge, at its accuracy, instead of drawn at its size
        limit = (float('inf') if timed else
                 2 * statistics.median(x for _, x in points))
        beyond = [(s, x) for s, x in points if x > limit]
        points = [(s, x) for s, x in points if x <= limit]
        # times from different CPUs do not compare: one marker per CPU,
        # the most used CPU's first (a tie by name)
        cpus = [cpu(s.runs[0]) for s, _ in points]
        shapes = {} if not timed else dict(zip(
            sorted(set(cpus), key=lambda c: (-cpus.count(c), c)),
            'osD^v<>p*h'))
        for (s, x), on in zip(points, cpus):
            y, err = 100 * s.mean[TOTAL], 100 * (s.std[TOTAL] or 0)
            ax.errorbar(x, y, yerr=err if err else None,
                        fmt=shapes.get(on, 'o'), ms=5, capsize=3,
                        color=colour[s.label])
            # in the marker's colour (darkened: tab20's light shades are
            # faint as text), with a thin line to its point: a label moved
            # aside in a cluster still names its own point
            color = [0.7 * c for c in to_rgb(colour[s.label])]
            texts.append(ax.annotate(
                s.label + (f' (n={s.n})' if s.n > 1 else ''), (x, y),
                textcoords='offset points', xytext=(6, 2), fontsize=7,
                color=color, arrowprops=dict(arrowstyle='-', lw=0.5,
                                             color=color, shrinkB=3)))
        xs = [x for _, x in points]
        if max(xs) > 5 * min(xs):  # minutes-long entries next to an hour
            ax.set_xscale('log')
            ax.xaxis.set_major_formatter(
                matplotlib.ticker.ScalarFormatter())
            ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.margins(x=0.25)  # room for the labels right of the points
        for s, x in beyond:
            y = 100 * s.mean[TOTAL]
            ax.plot(1, y, '>', ms=6, color='0.3', clip_on=False,
                    transform=ax.get_yaxis_transform())
            ax.annotate(f'{s.label}: {x:.2f}M, off the axis', (1, y),
                        xycoords=ax.get_yaxis_transform(),
                        textcoords='offset points', xytext=(-8, 0),
                        ha='right', va='center', fontsize=7, color='0.3')
        if len(shapes) > 1:
            for on, shape in shapes.items():
                ax.plot([], [], shape, color='0.4', ms=5, label=on)
            ax.legend(title='timed on', fontsize=7, title_fontsize=7,
                      loc='lower right')
        ax.set_xlabel(xlabel)
        ax.set_ylabel('LSP test PCK@0.2 Total (%)')
        ax.set_title('error bars: std over seeds', fontsize=8)
        ax.grid(alpha=0.3)
        fig.tight_layout()
        spread_labels(fig, texts)
        fig.savefig(folder / fname, dpi=110)
        plt.close(fig)
        written.append(folder / fname)
    written.append(plot_joints(summaries, colour,
                               folder / 'pck_per_joint.png'))
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    for s in summaries:
        curve = s.runs[0]['loss_curve']
        if curve:
            steps, losses = zip(*curve)
            # the heads sum the loss over stacks: per stack, comparable
            stages = stage_count(s.runs[0])
            ax.plot(steps, [v / stages for v in losses], label=s.label,
                    lw=1, color=colour[s.label])
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


def plot_joints(summaries: list, colour: dict, path: Path) -> Path:
    """PCK@0.2 per joint group, one bar per model in each group (best
    model first), std over seeds as error bars."""
    import matplotlib.pyplot as plt
    import numpy as np
    fig, ax = plt.subplots(figsize=(10, 4.8))
    width = 0.8 / max(1, len(summaries))
    x = np.arange(len(GROUPS))
    for i, s in enumerate(summaries):
        keys = [f'PCK@0.2/{g}' for g in GROUPS]
        means = [100 * s.mean.get(k, float('nan')) for k in keys]
        errs = [100 * (s.std.get(k) or 0) for k in keys]
        ax.bar(x + (i - (len(summaries) - 1) / 2) * width, means, width,
               yerr=errs if any(errs) else None, capsize=2,
               label=s.label, color=colour[s.label])
    ax.set_xticks(x, GROUPS)
    ax.set_ylabel('LSP test PCK@0.2 (%)')
    lowest = min(100 * s.mean.get(f'PCK@0.2/{g}', 100) for s in summaries
                 for g in GROUPS)
    ax.set_ylim(max(0, 10 * (lowest // 10) - 10), 100)  # the differences
    ax.grid(axis='y', alpha=0.3)
    ax.legend(fontsize=7, ncol=6, loc='upper center',
              bbox_to_anchor=(0.5, -0.08), frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_readme(readme: Path, table: str) -> None:
    from mmpose_hourglass_ext.utils.analysis import replace_marked_block
    if not replace_marked_block(readme, README_BEGIN, README_END, table,
                                append=False):
        print(f'{readme} has no zoo markers; table not copied there')


CAPTIONS = {
    'pck_vs_params.png': 'PCK@0.2 Total against parameters.',
    'pck_vs_train_time.png': 'PCK@0.2 Total against training minutes on '
    '2 CPU cores.',
    'pck_per_joint.png': 'PCK@0.2 per joint group.',
    'training_loss.png': 'Training loss per stack. Its level depends on '
    "each head's targets and weights (per-stack Gaussian sigmas in MSSH "
    "and the ResNet multi-stage entries, MSSH's adaptive keypoint "
    'weights): compare shapes across families, levels only within one.',
}


MPII_GROUPS = ('Head', 'Shoulder', 'Elbow', 'Wrist', 'Hip', 'Knee', 'Ankle')


def tested_on_mpii(results: dict) -> bool:
    """Rows of MPII-joint models (MpiiPCKAccuracy's keys, no LSP PCK)."""
    return bool(results) and all(
        'PCK@0.2/Total' not in row['metrics'] and 'Head PCK' in row['metrics']
        for row in results.values())


def mpii_table(results: dict) -> str:
    """MPII-joint models: the MPII table on the test set (PCKh@0.5 per
    joint group, Mean and AUC, %) and, where the config has a second
    evaluation set, its PCK (MMPose's PCKAccuracy, %)."""
    head = ('| entry | backbone | params (M) | ' +
            ' | '.join(MPII_GROUPS) + ' | PCKh@0.5 Mean | AUC | '
            'held-out PCK (bbox) | train min | CPU | precision | '
            'machine shared |')
    lines = [head, '|' + '---|' * (head.count('|') - 1)]
    for name, row in sorted(results.items(),
                            key=lambda kv: -kv[1]['metrics']['PCK']):
        m = row['metrics']
        held = row.get('val_metrics', {}).get('PCK')
        lines.append(
            f"| [{entry_label(name)}]({row['config']}) | {row['backbone']} | "
            f"{row['params_M']:.3f} | " +
            ' | '.join(f"{m.get(f'{g} PCK', float('nan')):.1f}"
                       for g in MPII_GROUPS) +
            f" | **{m['PCK']:.1f}** | {m.get('AUC', float('nan')):.1f} | "
            f"{'-' if held is None else f'{100 * held:.1f}'} | "
            f'{minutes(pace_minutes(row))} | {cpu(row)} | {precision(row)} '
            f'| {shared(row)} |')
    starts = [f"* {entry_label(name)} starts from `{row['started_from']}` "
              '(a fine-tune): its train minutes come on top of that run\'s.'
              for name, row in sorted(results.items())
              if row.get('started_from')]
    return '\n'.join(lines + ([''] + starts if starts else [])) + '\n'


def write_outputs(results: dict, args) -> None:
    page = Path(args.table)
    page.parent.mkdir(parents=True, exist_ok=True)
    if tested_on_mpii(results):
        table = mpii_table(results)
        page.write_text('<!-- written by tools/analysis/zoo.py from '
                        f'{args.out}; do not edit -->\n' + table)
        print(table)
        return
    table = markdown_table(results)
    figures = ['', '## Plots', '']
    for path in plot(results, Path(args.plots)):
        link = Path(os.path.relpath(path, page.parent)).as_posix()
        figures += [f'![{path.stem}]({link})', '', CAPTIONS[path.name], '']
    page.write_text('<!-- written by tools/analysis/zoo.py from '
                    f'{args.out}; do not edit -->\n' + table +
                    '\n'.join(figures))
    if args.readme:
        readme = Path(args.readme)
        link = Path(os.path.relpath(page, readme.parent)).as_posix()
        write_readme(readme, compact_table(results, link))
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


def read_results(out: Path, must_exist: bool) -> dict:
    """The zoo's JSON, or a message naming the file and what is wrong."""
    if not out.is_file():
        if must_exist:
            sys.exit(f'{out} not found: give the zoo JSON with --out (the '
                     'default is benchmarks/zoo_lsp_cpu.json)')
        return {}
    try:
        results = json.loads(out.read_text())
    except ValueError as err:
        sys.exit(f'{out} is not valid JSON ({err}); restore it from git '
                 f'(git checkout {out}) or give another --out')
    if not isinstance(results, dict):
        sys.exit(f'{out} is not a zoo JSON (an object of entries)')
    return results


def rows_for(configs, done: dict, out: Path, flag: str, args) -> list:
    """The entries that have a row; an entry named with --only that has
    none is an error (it would do nothing and exit 0)."""
    missing = [c.stem for c in configs if c.stem not in done]
    if args.only and missing:
        sys.exit(f'{flag}: no result in {out} for {missing}: train them '
                 'first (python tools/analysis/zoo.py --only ...)')
    return [c for c in configs if c.stem in done]


def remeasure(configs, done: dict, out: Path, args) -> None:
    """A batch-1 time taken while another process used the cores can be
    off by tens of times (two OpenMP teams on two cores): time the
    entries again, alone, from the checkpoints their rows name."""
    from mmpose_hourglass_ext.utils.analysis import update_results
    skipped, updated = [], False
    for config in rows_for(configs, done, out, '--remeasure', args):
        row = done[config.stem]
        ckpt = ROOT / row['checkpoint']  # relative: to this checkout
        if not ckpt.is_file():
            # the others are still measured and the table re-rendered
            skipped.append(f'{config.stem}: checkpoint {ckpt} (from {out}) '
                           f'not found; train the entry again (--only '
                           f'{config.stem} --force) or correct the path')
            print(f'--remeasure: skipped {skipped[-1]}', flush=True)
            continue
        measured = measure_model(config, ckpt, args.cfg_options)
        print(f"{config.stem}: {row.get('infer_ms_per_image')} -> "
              f"{measured['infer_ms_per_image']} ms per image", flush=True)
        row.update(measured, remeasured=time.strftime('%Y-%m-%d %H:%M:%S'))
        update_results(out, {config.stem: row})
        updated = True
    if updated:
        write_outputs(json.loads(out.read_text()), args)
    if skipped:
        sys.exit('--remeasure skipped ' + '; '.join(skipped))


def this_machine() -> str:
    """``2 CPU cores, <CPU model> (<its native bf16 units>)``: the zoo
    spans sessions, and a session may get another CPU (seen: an AMD EPYC
    with AVX512-BF16 and an Intel Xeon with AMX, where one model's batch-1
    inference took 32 and 17 ms), so each row says where its speeds were
    measured."""
    from mmpose_hourglass_ext.utils.analysis import machine_label
    return machine_label()


def retime(configs, done: dict, out: Path, args) -> None:
    """An entry's train minutes come from its median iteration, which
    sharing the machine for much of the run still moves: time a short
    training run of each entry (its config, from scratch, into a temporary
    work dir) with the machine to itself, and keep that speed."""
    import tempfile
    from mmpose_hourglass_ext.utils.analysis import update_results
    from mmpose_hourglass_ext.utils.logs import read_curves
    iters = args.retime_iters
    machine = this_machine()
    busy, updated = [], False
    for config in rows_for(configs, done, out, '--retime', args):
        row = done[config.stem]
        if row.get('machine') != machine:  # one median, one machine
            sys.exit(f'--retime: {config.stem} was timed on '
                     f"{row.get('machine')!r} and this is {machine!r}: a "
                     'run here would mix machines in its median. Retime it '
                     'where it trained, or train it again here (--only '
                     f'{config.stem} --force) to replace its row.')
        with tempfile.TemporaryDirectory() as tmp:
            seconds, others = run_tool(
                ROOT, 'train.py', config, '--work-dir', tmp, '--no-validate',
                '--cfg-options', *args.cfg_options,
                f'train_cfg.max_iters={iters}', log=Path(tmp) / 'retime.log')
            shared = (None if others is None else
                      others / (seconds * os.cpu_count()))
            if shared is not None and shared > MAX_RETIME_SHARE:
                # a busy machine's speed (40% slower, seen) would move the
                # median: not recorded
                busy.append(f'{config.stem} ({100 * shared:.0f}% of the '
                            'machine taken by other processes)')
                print(f'--retime: {busy[-1]}: not recorded', flush=True)
                continue
            times = [t for step, t in read_curves(tmp, ('time', ))['time']
                     if step > iters // 4]
        speed = images_per_s(row['batch_size'], times)
        if speed is None:
            sys.exit(f'--retime: {config.stem} logged no iteration after '
                     f'the first {iters // 4}; give more --retime-iters')
        # one short run is off by up to ~25% on a shared host (measured:
        # 45.9-63.7 images/s for one entry in four runs): the row keeps
        # every run's speed and shows their median, counting the entry's
        # own training as a run where it had the machine (under 10% shared)
        if 'retimes' not in row:
            shared = row.get('shared_fraction')  # 0.0: nothing else ran
            alone = (shared is not None and shared < 0.1
                     and row.get('train_images_per_s') is not None)
            row['retimes'] = [row['train_images_per_s']] if alone else []
        runs = row['retimes'] + [speed]
        median = round(statistics.median(runs), 1)
        print(f"{config.stem}: {speed} train images/s in this run; "
              f"{row.get('train_images_per_s')} -> {median} (median of "
              f'{len(runs)} runs)', flush=True)
        row.update(train_images_per_s=median, retimes=runs,
                   retimed=time.strftime('%Y-%m-%d %H:%M:%S') +
                   f' ({iters} iterations per run)')
        update_results(out, {config.stem: row})
        updated = True
    if updated:
        write_outputs(json.loads(out.read_text()), args)
    if busy:
        sys.exit('--retime recorded nothing for ' + ', '.join(busy) +
                 ': run it again with the machine to itself')


def main(argv=None):
    args = parse_args(argv)
    if args.background:
        return background(args)
    from mmpose_hourglass_ext.utils.analysis import update_results
    out = Path(args.out)
    if args.render:
        return write_outputs(read_results(out, must_exist=True), args)
    configs = entry_configs(args)
    done = read_results(out, must_exist=args.remeasure or args.retime)
    if args.remeasure:
        return remeasure(configs, done, out, args)
    if args.retime:
        return retime(configs, done, out, args)
    for i, config in enumerate(configs, 1):
        if config.stem in done and not args.force:
            print(f'[{i}/{len(configs)}] {config.stem}: result in {out}, '
                  'skipped (--force to redo)', flush=True)
            continue
        print(f'[{i}/{len(configs)}] {config.stem}', flush=True)
        row = run_entry(config, args)
        row['finished'] = time.strftime('%Y-%m-%d %H:%M:%S')
        row['machine'] = this_machine()
        update_results(out, {config.stem: row})
        done = json.loads(out.read_text())
        write_outputs(done, args)
    if done:
        write_outputs(done, args)


if __name__ == '__main__':
    main()
