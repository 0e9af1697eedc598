"""The README's main job: train a config on LSP, test it, and leave in
``work_dirs/quickstart/``: the checkpoint, ``metrics.json`` (PCK@0.2 per
joint group and Total), ``training_curve.png`` and ``predictions.png``
(predicted skeletons on a few test images, drawn by MMPose's visualizer).

    python tools/quickstart.py CONFIG [--work-dir work_dirs/quickstart]
"""
import argparse
import json
import pickle
import sys
import time
from pathlib import Path

from mmpose_hourglass_ext.utils.tool_runner import run_tool

ROOT = Path(__file__).resolve().parents[1]
HOW_TO_GET_LSP = """\
data/lsp is missing. The quickstart trains on Leeds Sports Pose (LSP):
  1. get the archive lsp_dataset.zip from the LSP page
     (sam.johnson.io/research/lsp.html) and unzip it, or use a copy you have;
  2. make data/lsp hold images/im0001.jpg .. im2000.jpg and joints.mat, e.g.
       mkdir -p data && ln -s /path/to/lsp data/lsp
See docs/datasets.md."""


HOW_TO_GET_LSPET = """\
data/lspet is missing. The quickstart also trains on LSP-extended (LSPET):
  1. get lspet_dataset.zip from the LSPET page
     (sam.johnson.io/research/lspet.html) and unzip it, or use a copy you
     have (the quickstart reads whatever images its joints.mat covers);
  2. make data/lspet hold images/im00001.jpg .. and joints.mat, e.g.
       ln -s /path/to/lspet data/lspet
See docs/datasets.md."""


def check_lsp(data_root: Path, message: str = HOW_TO_GET_LSP) -> None:
    images = data_root / 'images'
    if not (data_root / 'joints.mat').is_file() or not images.is_dir():
        sys.exit(message)


def datasets_of(config: str) -> set:
    """The data roots the config trains and tests on."""
    from mmengine.config import Config
    cfg = Config.fromfile(config)
    roots = set()
    for split in ('train_dataloader', 'test_dataloader'):
        dataset = cfg[split].dataset
        for d in dataset.get('datasets', [dataset]):
            roots.add(d.get('data_root', '').rstrip('/'))
    return roots


MARKER = '.quickstart'


def claim_work_dir(work_dir: Path) -> None:
    """The quickstart replaces its own earlier results, never another
    run's: a work dir with checkpoints but without the quickstart's marker
    is refused."""
    has_checkpoints = work_dir.is_dir() and any(
        p.suffix == '.pth' or p.name == 'last_checkpoint'
        for p in work_dir.iterdir())
    if has_checkpoints and not (work_dir / MARKER).is_file():
        sys.exit(f'{work_dir} holds checkpoints of another run (not a '
                 'quickstart): the quickstart would replace them. Give '
                 'another --work-dir.')
    work_dir.mkdir(parents=True, exist_ok=True)
    (work_dir / MARKER).write_text('written by tools/quickstart.py\n')


def fast_mode_of(work_dir: Path):
    """What tools/train.py said it trained in (saved in the run's
    config as ``fast_mode_used``)."""
    from mmengine.config import Config
    saved = sorted(work_dir.glob('*.py'))
    return Config.fromfile(saved[-1]).get('fast_mode_used') if saved else None


def plot_curve(work_dir: Path, out: Path) -> None:
    from mmpose_hourglass_ext.utils.logs import plot_curves, read_curves
    plot_curves(read_curves(work_dir, ('loss', )), out,
                ylabel='training loss (heatmap MSE, all stacks)')


def draw_predictions(dump: Path, out: Path, num: int = 6) -> None:
    """Predicted skeletons of the first ``num`` test images, side by side."""
    import mmcv
    import numpy as np
    from mmengine.structures import InstanceData
    from mmpose.datasets.datasets.utils import parse_pose_metainfo
    from mmpose.structures import PoseDataSample
    from mmpose.visualization import PoseLocalVisualizer

    from mmpose_hourglass_ext.datasets.lsp import METAINFO_FILE

    visualizer = PoseLocalVisualizer(name='quickstart', radius=3,
                                     line_width=2)
    visualizer.set_dataset_meta(
        parse_pose_metainfo(dict(from_file=METAINFO_FILE)))
    with open(dump, 'rb') as f:
        results = pickle.load(f)
    panels = []
    for result in results[:num]:
        image = mmcv.imread(result['img_path'], channel_order='rgb')
        pred = result['pred_instances']
        sample = PoseDataSample(pred_instances=InstanceData(
            keypoints=pred['keypoints'],
            keypoint_scores=pred['keypoint_scores']))
        visualizer.add_datasample('pred', image, sample, draw_gt=False,
                                  draw_bbox=False, kpt_thr=0.0, show=False)
        panel = visualizer.get_image()
        h, w = panel.shape[:2]
        panels.append(mmcv.imresize(panel, (round(w * 240 / h), 240)))
    row = np.concatenate(panels, axis=1)  # all 240 px high
    mmcv.imwrite(row[..., ::-1], str(out), auto_mkdir=True)  # RGB -> BGR


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--work-dir', default='work_dirs/quickstart')
    args = parser.parse_args()
    work_dir = (ROOT / args.work_dir).resolve()
    roots = datasets_of(args.config)
    check_lsp(ROOT / 'data' / 'lsp')
    if 'data/lspet' in roots:
        check_lsp(ROOT / 'data' / 'lspet', HOW_TO_GET_LSPET)

    claim_work_dir(work_dir)
    start = time.monotonic()
    # a new quickstart replaces the previous quickstart's checkpoints
    run_tool(ROOT, 'train.py', args.config, '--work-dir', work_dir,
             '--no-validate', '--overwrite')
    train_s = time.monotonic() - start
    ckpt = Path((work_dir / 'last_checkpoint').read_text().strip())
    dump = work_dir / 'test_predictions.pkl'
    run_tool(ROOT, 'test.py', args.config, ckpt, '--work-dir', work_dir,
             '--out', work_dir / 'metrics.json', '--dump', dump)
    total_s = time.monotonic() - start

    plot_curve(work_dir, work_dir / 'training_curve.png')
    draw_predictions(dump, work_dir / 'predictions.png')
    metrics = json.loads((work_dir / 'metrics.json').read_text())
    metrics.update(config=Path(args.config).stem,
                   train_seconds=round(train_s), total_seconds=round(total_s),
                   checkpoint=str(ckpt), fast_mode=fast_mode_of(work_dir))
    (work_dir / 'metrics.json').write_text(json.dumps(metrics, indent=2))

    print('\nLSP test set (1000 images), PCK@0.2 with torso normalisation:')
    for key, value in metrics.items():
        if key.startswith('PCK@'):
            print(f'  {key.split("/")[1]:<9} {100 * value:5.1f}')
    print(f'training {train_s / 60:.1f} min, total {total_s / 60:.1f} min '
          f'({metrics["fast_mode"]})')
    print(f'results in {work_dir}: {ckpt.name}, metrics.json, '
          'training_curve.png, predictions.png')


if __name__ == '__main__':
    main()
