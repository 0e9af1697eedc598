"""Plot training curves of one or more runs (iteration-based logs, which
MMPose's ``analyze_logs.py`` cannot read)::

    python tools/analysis/analyze_logs.py plot_curve WORK_DIR [WORK_DIR ...]
        [--keys loss acc_pose] [--legend A B] [--out curves.png] [--linear]

Each WORK_DIR is a training run's work dir (every run of a resumed training
is read) or one ``vis_data/scalars.json``. One line per run and key.
"""
import argparse
import sys
from pathlib import Path

from mmpose_hourglass_ext.utils.logs import plot_curves, read_curves


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('task', choices=['plot_curve'])
    parser.add_argument('runs', nargs='+', help='work dirs or scalars.json')
    parser.add_argument('--keys', nargs='+', default=['loss'])
    parser.add_argument('--legend', nargs='+',
                        help='one label per run (default: the run paths)')
    parser.add_argument('--out', default='curves.png')
    parser.add_argument('--linear', action='store_true',
                        help='linear y axis (default: log)')
    args = parser.parse_args(argv)
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


if __name__ == '__main__':
    main()
