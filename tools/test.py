"""Test a checkpoint with mmengine's Runner, print the papers' tables and
write the metrics (``--out``, default ``<work dir>/<checkpoint
name>_metrics.json``) and the tables (``<work dir>/<checkpoint
name>_tables.json`` and ``.md``, or beside ``--out``)::

    python tools/test.py CONFIG CHECKPOINT [--show-dir vis] [--dump preds.pkl]
        [--mpii-mat pred.mat] [--show] [--interval N] [--wait-time S]
        [--badcase]
    bash tools/dist_test.sh CONFIG CHECKPOINT 2
"""
import argparse
import json
import os
import os.path as osp

from mmengine.config import Config
from mmengine.dist import is_main_process
from mmengine.runner import Runner

import mmpose_hourglass_ext  # noqa: F401  (registers modules)
from mmpose_hourglass_ext.evaluation.tables import (paper_tables,
                                                    tables_to_markdown,
                                                    tables_to_text)
from mmpose_hourglass_ext.utils.runtime import (add_common_args,
                                          add_visualization_args,
                                          apply_visualization_args,
                                          check_outputs_spare_inputs,
                                          check_writable,
                                          explain_run_errors,
                                          finish_launcher,
                                          load_config,
                                          load_checkpoints_strictly,
                                          read_checkpoint_state,
                                          refuse_checkpoint_names,
                                          setup_launcher)


def parse_args():
    parser = argparse.ArgumentParser(description='Test a pose model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out', help='metrics JSON path (default: '
                        '<work dir>/<checkpoint name>_metrics.json); the '
                        'tables are written beside it')
    parser.add_argument('--dump', help='also dump predictions to this .pkl')
    parser.add_argument('--mpii-mat', help='also write the predictions in '
                        'the MPII evaluation .mat layout (preds, and pred '
                        'for the official toolkit) to this file')
    parser.add_argument('--split', choices=['test', 'val'], default='test',
                        help="evaluate the config's test set (default) or "
                        'its validation set (val_dataloader, val_evaluator)')
    add_visualization_args(parser, badcase=True)
    add_common_args(parser)
    return parser.parse_args()


def output_paths(args, cfg):
    """(metrics JSON, tables path without extension): into the work dir as
    ``<checkpoint name>_metrics.json`` / ``_tables``, or beside --out."""
    name = osp.splitext(osp.basename(args.checkpoint))[0]
    if args.out:
        return args.out, osp.splitext(args.out)[0] + '_tables'
    return (osp.join(cfg.work_dir, f'{name}_metrics.json'),
            osp.join(cfg.work_dir, f'{name}_tables'))


def build_cfg(args) -> Config:
    read_checkpoint_state(args.checkpoint)  # a readable checkpoint at all?
    cfg = load_config(args)
    if args.split == 'val':
        if not cfg.get('val_dataloader') or not cfg.get('val_evaluator'):
            raise ValueError(f'--split val: {args.config} has no '
                             'val_dataloader/val_evaluator')
        cfg.test_dataloader = cfg.val_dataloader
        cfg.test_evaluator = cfg.val_evaluator
    # every file this run writes, before the (long) evaluation
    out, tables = output_paths(args, cfg)
    outputs = {'--out': out, 'the tables file': tables + '.json',
               'the tables file ': tables + '.md', '--dump': args.dump,
               '--mpii-mat': args.mpii_mat}
    check_outputs_spare_inputs(
        outputs, {'checkpoint': args.checkpoint, 'config': args.config})
    refuse_checkpoint_names(outputs)
    for path in (out, tables + '.json', args.dump, args.mpii_mat):
        if path:
            check_writable(path)
    cfg.load_from = args.checkpoint
    apply_visualization_args(cfg, args)
    extra = []
    if args.dump:
        if not args.dump.endswith(('.pkl', '.pickle')):
            raise ValueError('--dump must be a .pkl file')
        extra.append(dict(type='DumpResults', out_file_path=args.dump))
    if args.mpii_mat:
        extra.append(dict(type='MpiiPredictionsMat', out_file=args.mpii_mat))
    if extra:
        evaluator = cfg.test_evaluator
        evaluator = evaluator if isinstance(evaluator, list) else [evaluator]
        cfg.test_evaluator = evaluator + extra
    return setup_launcher(cfg, args.launcher)


class TestRunner(Runner):
    """mmengine's Runner dumps the config into the work dir, where the
    training run keeps its own (the one it trained with): testing in the
    default work dir would replace it with the test's. The test's copy goes
    into its timestamped log folder instead."""

    def dump_config(self) -> None:
        name = (osp.basename(self.cfg.filename) if self.cfg.filename else
                f'{self.timestamp}.py')
        os.makedirs(self.log_dir, exist_ok=True)
        self.cfg.dump(osp.join(self.log_dir, name))


def main():
    args = parse_args()
    try:
        cfg = build_cfg(args)
    except (OSError, ValueError) as err:  # set-up errors name their fix
        raise SystemExit(f'tools/test.py: {err}')
    with explain_run_errors('tools/test.py'):
        runner = TestRunner.from_cfg(cfg)  # formats and dumps the config
        load_checkpoints_strictly(runner, args.config)
        metrics = runner.test()
    if is_main_process():
        out, stem = output_paths(args, cfg)
        with open(out, 'w') as f:
            json.dump(metrics, f, indent=2)
        print(f'metrics written to {out}')
        name = osp.splitext(osp.basename(args.checkpoint))[0]
        tables = paper_tables(metrics, name)
        if tables:
            print(tables_to_text(tables))
            with open(stem + '.json', 'w') as f:
                json.dump(tables, f, indent=2)
            with open(stem + '.md', 'w') as f:
                f.write(tables_to_markdown(tables))
            print(f'tables written to {stem}.json and {stem}.md')
    finish_launcher()


if __name__ == '__main__':
    main()
