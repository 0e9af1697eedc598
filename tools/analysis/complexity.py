"""Parameters and FLOPs of configs' models (mmengine's complexity analysis),
written to a JSON file so the numbers in docs/benchmarks.md are reproducible.

    python tools/analysis/complexity.py CONFIG [CONFIG ...] \
        [--input-size 256 256] [--out benchmarks/complexity.json]

FLOPs are mmengine's count of multiply-adds for one image (what the papers
call FLOPs), at --input-size (default: each config's codec input size).
"""
import argparse
from pathlib import Path

from mmpose_hourglass_ext.utils.analysis import config_complexity, update_results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('configs', nargs='+')
    parser.add_argument('--input-size', type=int, nargs=2,
                        metavar=('W', 'H'))
    parser.add_argument('--out', default='benchmarks/complexity.json')
    args = parser.parse_args()
    results = {}
    for config in args.configs:
        row = config_complexity(config, args.input_size)
        results[Path(config).stem] = row
        print(f"{Path(config).stem}: {row['params_M']}M params, "
              f"{row['GFLOPs']} GFLOPs at {row['input_hw']}")
    update_results(args.out, results)


if __name__ == '__main__':
    main()
