"""Score every stage of a multi-stage checkpoint on its test set with
three decodings of the heatmaps (Su et al., Sec. 3, Table 5):

* ``mmpose``: MMPose's standard decoding (maximum + quarter-pixel shift);
* ``paper``: x = 0.25 x_max + 0.75 x_second, as printed;
* ``common``: x = 0.75 x_max + 0.25 x_second, the usual form.

    python tools/analysis/intermediate_decoding.py CONFIG CHECKPOINT \
        [--metric PCK@0.2/Total] [--out benchmarks/intermediate_decoding.json]

Each (stage, rule) runs tools/test.py with the head swapped for
``MultiStageHeatmapHead(test_stage=i)`` and, for the two rules, the codec
for ``SecondMaxHeatmap`` (flip test as configured). The numbers go to
``--out`` under the checkpoint's name.
"""
import argparse
import json
import tempfile
from pathlib import Path

from mmengine.config import Config

from mmpose_hourglass_ext.utils.analysis import update_results
from mmpose_hourglass_ext.utils.tool_runner import run_tool

ROOT = Path(__file__).resolve().parents[2]

RULES = {'mmpose': None, 'paper': 0.25, 'common': 0.75}


def score(config, checkpoint, stage, max_weight, metric, work_dir) -> float:
    options = ['model.head.type=MultiStageHeatmapHead',
               f'model.head.test_stage={stage}']
    if max_weight is not None:
        options += ['model.head.decoder.type=SecondMaxHeatmap',
                    f'model.head.decoder.max_weight={max_weight}']
    out = Path(work_dir) / f'stage{stage}_{max_weight}.json'
    run_tool(ROOT, 'test.py', config, checkpoint, '--out', out,
             '--work-dir', work_dir, '--cfg-options', *options, quiet=True)
    return json.loads(out.read_text())[metric]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--metric', default='PCK@0.2/Total')
    parser.add_argument('--out',
                        default='benchmarks/intermediate_decoding.json')
    args = parser.parse_args()
    stages = Config.fromfile(args.config).model.head.num_stages
    rows = {}
    with tempfile.TemporaryDirectory() as work_dir:
        for stage in range(stages):
            row = {rule: round(score(args.config, args.checkpoint, stage, w,
                                     args.metric, work_dir), 4)
                   for rule, w in RULES.items()}
            rows[f'stage {stage}'] = row
            print(f'stage {stage}: {row}', flush=True)
    update_results(args.out, {Path(args.checkpoint).stem: dict(
        config=args.config, metric=args.metric, stages=rows)})
    print(f'written to {args.out}')


if __name__ == '__main__':
    main()
