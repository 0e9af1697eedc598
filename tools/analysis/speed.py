"""Forward + backward time of configs' backbones on random images, written
to a JSON file (a benchmark script, not a test: numbers depend on the
machine).

    python tools/analysis/speed.py CONFIG [CONFIG ...] [--batch-size 4] \
        [--input-size 256 256] [--iters 3] [--out benchmarks/speed_cpu.json]

Each step: backbone forward on a (B, 3, H, W) batch, MSE of every stack's
heatmaps against a random target, backward. One warm-up step, then the
median of --iters steps. Device: CUDA when available, else CPU.
"""
import argparse
import os
import platform
import statistics
import time
from pathlib import Path

import torch
from mmengine.config import Config
from mmpose.registry import MODELS
from mmpose.utils import register_all_modules

from mmpose_hourglass_ext.analysis import count_params, update_results


def time_step(backbone, x) -> float:
    if x.is_cuda:
        torch.cuda.synchronize()
    start = time.perf_counter()
    outs = backbone(x)
    loss = sum(torch.nn.functional.mse_loss(o, torch.rand_like(o))
               for o in outs)
    loss.backward()
    if x.is_cuda:
        torch.cuda.synchronize()
    return time.perf_counter() - start


def measure(config: str, batch_size: int, input_size, iters: int,
            device: str) -> dict:
    cfg = Config.fromfile(config)
    backbone = MODELS.build(cfg.model).backbone.to(device)
    backbone.train()  # (MMPose's BaseBackbone.train returns None)
    w, h = input_size or cfg.model.head.decoder.input_size
    x = torch.randn(batch_size, 3, h, w, device=device)
    time_step(backbone, x)  # warm-up
    times = [time_step(backbone, x) for _ in range(iters)]
    return dict(config=config, params_M=round(count_params(backbone) / 1e6, 3),
                batch_size=batch_size, input_hw=[h, w], iters=iters,
                seconds_per_step=round(statistics.median(times), 3),
                all_seconds=[round(t, 3) for t in times])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('configs', nargs='+')
    parser.add_argument('--batch-size', type=int, default=4)
    parser.add_argument('--input-size', type=int, nargs=2,
                        metavar=('W', 'H'))
    parser.add_argument('--iters', type=int, default=3)
    parser.add_argument('--out', default='benchmarks/speed_cpu.json')
    args = parser.parse_args()
    register_all_modules()
    device = 'cuda' if torch.cuda.is_available() else 'cpu'
    results = {}
    for config in args.configs:
        row = measure(config, args.batch_size, args.input_size, args.iters,
                      device)
        row.update(device=(torch.cuda.get_device_name() if device == 'cuda'
                           else f'{platform.processor() or "cpu"}, '
                           f'{os.cpu_count()} cores, '
                           f'{torch.get_num_threads()} threads'),
                   torch=torch.__version__)
        results[Path(config).stem] = row
        print(f"{Path(config).stem}: {row['seconds_per_step']} s/step "
              f"(batch {args.batch_size}, {row['params_M']}M params)")
    update_results(args.out, results)


if __name__ == '__main__':
    main()
