"""Plot training curves of one or more runs, or say how fast they trained
(iteration-based logs, which MMPose's ``analyze_logs.py`` cannot read)::

    python tools/analysis/analyze_logs.py plot_curve WORK_DIR [WORK_DIR ...]
        [--keys loss acc_pose] [--legend A B] [--out curves.png] [--linear]
    python tools/analysis/analyze_logs.py cal_train_time WORK_DIR [...]
        [--skip 1] [--batch-size N] [--json-out summary.json]

Each WORK_DIR is a training run's work dir (every run of a resumed training
is read) or one ``vis_data/scalars.json``. One line per run and key.
"""
import argparse
import json
import sys
from pathlib import Path

from mmpose_hourglass_ext.utils.logs import (plot_curves, read_curves,
                                             train_time_summary)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('task', choices=['plot_curve', 'cal_train_time'])
    parser.add_argument('runs', nargs='+', help='work dirs or scalars.json')
    parser.add_argument('--keys', nargs='+', default=['loss'])
    parser.add_argument('--legend', nargs='+',
                        help='one label per run (default: the run paths)')
    parser.add_argument('--out', default='curves.png')
    parser.add_argument('--linear', action='store_true',
                        help='linear y axis (default: log)')
    parser.add_argument('--skip', type=int, default=1,
                        help='cal_train_time: logged values left out as '
                        'warm-up')
    parser.add_argument('--batch-size', type=int,
                        help='cal_train_time: images per iteration, for '
                        'img/s')
    parser.add_argument('--json-out', help='cal_train_time: write the '
                        'summaries here ({run: summary})')
    args = parser.parse_args(argv)
    if args.task == 'cal_train_time':
        return cal_train_time(args)
    if args.legend and len(args.legend) != len(args.runs):
        sys.exit(f'--legend gives {len(args.legend)} labels for '
                 f'{len(args.runs)} runs')
    series = {}
    for i, run in enumerate(args.runs):
        try:
            curves = read_curves(run, args.keys)
        except FileNotFoundError as err:
            sys.exit(str(err))
        name = args.legend[i] if args.legend else run
        for key, points in curves.items():
            if not points:
                sys.exit(f'{run} logs no {key!r}; keys are what the log '
                         'records hold, e.g. loss, loss_kpt, acc_pose, lr')
            series[name if len(args.keys) == 1 else f'{name} {key}'] = points
    out = plot_curves(series, Path(args.out), ylabel=', '.join(args.keys),
                      log_y=not args.linear)
    print(f'wrote {out}')


def cal_train_time(args) -> dict:
    summaries = {}
    for run in args.runs:
        try:
            summaries[run] = train_time_summary(run, args.skip,
                                                args.batch_size)
        except (FileNotFoundError, ValueError) as err:
            sys.exit(str(err))
        print(f'{run}: ' + ', '.join(f'{k} {v}' for k, v in
                                     summaries[run].items()))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(summaries, indent=2)
                                       + '\n')
        print(f'wrote {args.json_out}')
    return summaries


if __name__ == '__main__':
    main()
