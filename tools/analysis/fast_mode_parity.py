"""The 60-minute recipe trained in float32 and in the fast mode (bf16
autocast + channels-last), side by side: per-joint PCK, wall time and both
loss curves in one plot::

    python tools/analysis/fast_mode_parity.py

Reads the float32 run from benchmarks/zoo_v1_lsp_cpu_1000it.json and the
fast-mode run from benchmarks/zoo_lsp_cpu.json (the same config, the zoo's
soft-gated entry); writes benchmarks/fast_mode_parity_lsp_cpu.json and
docs/benchmarks/fast_mode_parity.png.
"""
import argparse
import json
from pathlib import Path

from mmpose_hourglass_ext.utils.logs import plot_curves

ROOT = Path(__file__).resolve().parents[2]
ENTRY = 'td-hm_sghg2-64_1xb16-10000it_lsp+lspet-128x128'
GROUPS = ('Head', 'Shoulder', 'Elbow', 'Wrist', 'Hip', 'Knee', 'Ankle',
          'Total')


def summary(row: dict) -> dict:
    m = row['metrics']
    return dict(
        fast_mode=row.get('fast_mode') or 'float32 + NCHW',
        train_minutes=row['train_minutes'],
        train_images_per_s=row['train_images_per_s'],
        shared_fraction=row.get('shared_fraction'),
        **{f'PCK@0.2/{g}': round(100 * m[f'PCK@0.2/{g}'], 1) for g in GROUPS},
        **{'PCP@0.5/Total': round(100 * m['PCP@0.5/Total'], 1)})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--fp32', default='benchmarks/'
                        'zoo_v1_lsp_cpu_1000it.json')
    parser.add_argument('--fast', default='benchmarks/zoo_lsp_cpu.json')
    parser.add_argument('--out', default='benchmarks/'
                        'fast_mode_parity_lsp_cpu.json')
    parser.add_argument('--plot', default='docs/benchmarks/'
                        'fast_mode_parity.png')
    args = parser.parse_args(argv)
    rows = {label: json.loads((ROOT / path).read_text())[ENTRY]
            for label, path in (('float32', args.fp32),
                                ('fast mode', args.fast))}
    result = {label: summary(row) for label, row in rows.items()}
    result['difference (fast - float32)'] = {
        k: round(result['fast mode'][k] - result['float32'][k], 1)
        for k in result['float32'] if k.startswith(('PCK', 'PCP'))
        or k == 'train_minutes'}
    (ROOT / args.out).write_text(json.dumps(result, indent=2) + '\n')
    def legend(label):
        r = result[label]
        shared = r['shared_fraction']
        note = (f', machine {100 * shared:.0f}% shared'
                if shared and shared > 0.1 else '')
        return (f"{label} ({r['PCK@0.2/Total']}% PCK@0.2, "
                f"{r['train_minutes']:.0f} min{note})")

    plot_curves({legend(label):
                 [tuple(p) for p in row['loss_curve']]
                 for label, row in rows.items()}, ROOT / args.plot,
                ylabel='training loss (heatmap MSE, both stacks)',
                title='60-minute recipe: float32 vs bf16 + channels-last')
    print(json.dumps(result, indent=2))
    print(f'wrote {args.out} and {args.plot}')


if __name__ == '__main__':
    main()
