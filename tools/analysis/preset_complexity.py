"""Parameters and FLOPs of every SoftGatedHourglass preset next to the
paper's figures (Bulat et al. 2020, Tables I, III, IV, VII), written to
benchmarks/soft_gated_presets.json and printed as a Markdown table.

    python tools/analysis/preset_complexity.py [--num-keypoints 16]

16 keypoints (MPII) as in the paper's tables; FLOPs at 256x256.
"""
import argparse
import json
from pathlib import Path

from mmpose_hourglass_ext.utils.analysis import complexity
from mmpose_hourglass_ext.models.backbones import (SOFT_GATED_PRESETS,
                                                   SoftGatedHourglass)


def measure_presets(num_keypoints: int = 16) -> dict:
    rows = {}
    for name, (stacks, channels, stem, paper_params, paper_gflops,
               source) in SOFT_GATED_PRESETS.items():
        model = SoftGatedHourglass(num_keypoints, preset=name)
        params, flops = complexity(model, (256, 256))
        rows[name] = dict(
            source=source, num_stacks=stacks, channels=channels,
            stem_channels=list(stem),
            params_M=round(params / 1e6, 3), paper_params_M=paper_params,
            params_diff=round(params / 1e6 / paper_params - 1, 3),
            GFLOPs=round(flops / 1e9, 2), paper_GFLOPs=paper_gflops,
            GFLOPs_diff=(None if paper_gflops is None else
                         round(flops / 1e9 / paper_gflops - 1, 3)))
    return rows


def markdown(rows: dict) -> str:
    lines = ['| preset | source | stacks x C | params (paper) | '
             'GFLOPs@256 (paper) |', '|---|---|---|---|---|']
    for name, r in rows.items():
        paper_f = ('-' if r['paper_GFLOPs'] is None else
                   f"{r['paper_GFLOPs']}, {r['GFLOPs_diff']:+.1%}")
        lines.append(
            f"| {name} | {r['source']} | {r['num_stacks']} x "
            f"{r['channels']} | {r['params_M']}M ({r['paper_params_M']}M, "
            f"{r['params_diff']:+.1%}) | {r['GFLOPs']} ({paper_f}) |")
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--num-keypoints', type=int, default=16)
    parser.add_argument('--out', default='benchmarks/soft_gated_presets.json')
    args = parser.parse_args()
    rows = measure_presets(args.num_keypoints)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=2) + '\n')
    print(markdown(rows))


if __name__ == '__main__':
    main()
