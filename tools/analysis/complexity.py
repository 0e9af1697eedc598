"""Parameters and FLOPs of configs' models (mmengine's complexity analysis),
written to a JSON file so the numbers in docs/benchmarks.md are reproducible.

    python tools/analysis/complexity.py CONFIG [CONFIG ...] \
        [--input-size 256 256] [--out benchmarks/complexity.json]

FLOPs are mmengine's count of multiply-adds for one image (what the papers
call FLOPs), at --input-size (default: each config's codec input size).
"""
import argparse
from pathlib import Path

from mmengine.config import Config
from mmpose.registry import MODELS
from mmpose.utils import register_all_modules

from mmpose_hourglass_ext.analysis import (complexity, count_params,
                                            update_results)


def measure(config: str, input_size=None) -> dict:
    cfg = Config.fromfile(config)
    model = MODELS.build(cfg.model)
    w, h = input_size or cfg.model.head.decoder.input_size
    params, flops = complexity(model.backbone, (h, w))
    return {
        'config': config,
        'input_hw': [h, w],
        'params_M': round(count_params(model) / 1e6, 3),
        'backbone_params_M': round(params / 1e6, 3),
        'GFLOPs': round(flops / 1e9, 2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('configs', nargs='+')
    parser.add_argument('--input-size', type=int, nargs=2,
                        metavar=('W', 'H'))
    parser.add_argument('--out', default='benchmarks/complexity.json')
    args = parser.parse_args()
    register_all_modules()
    results = {}
    for config in args.configs:
        row = measure(config, args.input_size)
        results[Path(config).stem] = row
        print(f"{Path(config).stem}: {row['params_M']}M params, "
              f"{row['GFLOPs']} GFLOPs at {row['input_hw']}")
    update_results(args.out, results)


if __name__ == '__main__':
    main()
