"""Run a trained model on your own images or videos::

    python tools/demo.py CONFIG CHECKPOINT INPUT [--out-dir demo_out]
        [--boxes boxes.json | --det-config DET.py --det-checkpoint DET.pth]
        [--heatmaps] [--kpt-thr 0.3] [--device cpu]

INPUT is an image, a folder of images or a video file. Person boxes:

* default: the whole image is one person (single-person crops such as
  LSP's);
* ``--boxes``: a JSON file ``{"<image file name>": [[x1, y1, x2, y2], ...]}``
  (for a video, the keys are frame numbers "0", "1", ...); an empty list
  means no person in that image, a missing image is an error;
* ``--det-config`` + ``--det-checkpoint``: a local MMDetection model
  (nothing is downloaded); boxes of ``--det-cat-id`` above
  ``--det-score-thr`` after NMS.

Writes into ``--out-dir``: overlays drawn by MMPose's visualizer
(``vis/<image>`` or ``<video>_overlay.mp4``), ``keypoints.json`` (per
image or frame: box, keypoints in image pixels, scores, plus the keypoint
names) and with ``--heatmaps`` ``heatmaps/<image>.png``: every stack's
heatmaps for the first person (rows: stacks, first to last; columns: the
input crop with all joints, then each keypoint).
"""
import argparse
import json
import os
import os.path as osp
import sys
from pathlib import Path

import cv2
import numpy as np

IMAGE_EXTS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')
VIDEO_EXTS = ('.mp4', '.avi', '.mov', '.mkv', '.webm', '.mpg', '.mpeg')


class DemoError(Exception):
    """A problem with the user's input; printed without a traceback."""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Pose estimation on images, a folder or a video')
    parser.add_argument('config', help='config file, or a model name of '
                        'the package\'s model-index.yml')
    parser.add_argument('checkpoint', help='checkpoint file ("-": the '
                        'model name\'s published weights)')
    parser.add_argument('input', help='image, folder of images, or video')
    parser.add_argument('--out-dir', default='demo_out')
    parser.add_argument('--boxes', help='JSON of person boxes per image')
    parser.add_argument('--det-config', help='local MMDetection config')
    parser.add_argument('--det-checkpoint', help='its local checkpoint')
    parser.add_argument('--det-cat-id', type=int, default=0,
                        help='detector class of persons (COCO: 0)')
    parser.add_argument('--det-score-thr', type=float, default=0.5)
    parser.add_argument('--nms-thr', type=float, default=0.3)
    parser.add_argument('--heatmaps', action='store_true',
                        help="PNG grid of every stack's heatmaps")
    parser.add_argument('--kpt-thr', type=float, default=0.3,
                        help='keypoints scored below are not drawn')
    parser.add_argument('--radius', type=int, default=3)
    parser.add_argument('--thickness', type=int, default=1)
    parser.add_argument('--device', default='cpu')
    args = parser.parse_args(argv)
    if args.boxes and (args.det_config or args.det_checkpoint):
        parser.error('give --boxes or a detector, not both')
    if bool(args.det_config) != bool(args.det_checkpoint):
        parser.error('a detector needs --det-config and --det-checkpoint')
    return args


# ---------------------------------------------------------------- inputs

def list_inputs(path: str):
    """``('video', path)`` or ``('images', [paths])``."""
    if not osp.exists(path):
        raise DemoError(f'{path} does not exist')
    if osp.isdir(path):
        files = sorted(str(p) for p in Path(path).iterdir()
                       if p.suffix.lower() in IMAGE_EXTS)
        if not files:
            raise DemoError(f'{path} holds no images ({", ".join(IMAGE_EXTS)})')
        return 'images', files
    if path.lower().endswith(VIDEO_EXTS):
        return 'video', path
    if path.lower().endswith(IMAGE_EXTS):
        return 'images', [path]
    raise DemoError(f'{path}: not an image ({", ".join(IMAGE_EXTS)}) nor a '
                    f'video ({", ".join(VIDEO_EXTS)}) by its extension')


def read_image(path: str) -> np.ndarray:
    # OpenCV decodes what it can of a truncated JPEG and fills the rest with
    # grey without an error; PIL's full decode notices the missing bytes
    from PIL import Image
    try:
        with Image.open(path) as image:
            image.load()
    except OSError as err:
        raise DemoError(f'cannot read image {path}: {err} (the file exists '
                        'but is damaged or not an image)') from err
    img = cv2.imread(path, cv2.IMREAD_COLOR)
    if img is None:
        raise DemoError(f'cannot read image {path} (damaged, empty or not '
                        'an image)')
    return img


def video_frames(path: str):
    """``(frames iterator, fps, frame count)``."""
    cap = cv2.VideoCapture(path)
    if not cap.isOpened():
        raise DemoError(f'cannot open video {path} (damaged or a codec '
                        'OpenCV lacks)')
    fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
    count = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))

    def frames():
        try:
            while True:
                ok, frame = cap.read()
                if not ok:
                    return
                yield frame
        finally:
            cap.release()
    return frames(), fps, count


# ----------------------------------------------------------------- boxes

class WholeImage:
    def __call__(self, key: str, img: np.ndarray) -> np.ndarray:
        h, w = img.shape[:2]
        return np.array([[0, 0, w, h]], np.float32)


class BoxesFile:
    def __init__(self, path: str):
        try:
            with open(path) as f:
                self.boxes = json.load(f)
        except (OSError, json.JSONDecodeError) as err:
            raise DemoError(f'cannot read boxes file {path}: {err}') from err
        if not isinstance(self.boxes, dict):
            raise DemoError(f'{path} must hold {{"image name": [[x1, y1, '
                            'x2, y2], ...]}}')
        self.path = path

    def __call__(self, key: str, img: np.ndarray) -> np.ndarray:
        if key not in self.boxes:
            raise DemoError(f'{self.path} has no boxes for {key!r} (give an '
                            'empty list for an image without persons)')
        try:
            boxes = np.asarray(self.boxes[key], np.float32)
        except (TypeError, ValueError):
            boxes = np.zeros((1, 0))
        if boxes.shape == (0,):  # []: no person in this image
            return np.zeros((0, 4), np.float32)
        if boxes.ndim != 2 or boxes.shape[1] not in (4, 5):
            raise DemoError(f'{self.path}, {key!r}: expected a list of '
                            '[x1, y1, x2, y2] (or with a score as 5th value)')
        boxes = boxes[:, :4]
        if len(boxes) and (np.any(boxes[:, 2] <= boxes[:, 0])
                           or np.any(boxes[:, 3] <= boxes[:, 1])):
            raise DemoError(f'{self.path}, {key!r}: boxes must be '
                            '[x1, y1, x2, y2] with x2 > x1 and y2 > y1')
        return boxes


class Detector:
    def __init__(self, args):
        for path in (args.det_config, args.det_checkpoint):
            if not osp.isfile(path):
                raise DemoError(f'detector file {path} not found (the demo '
                                'downloads nothing: give local files)')
        try:
            from mmdet.apis import inference_detector, init_detector
        except ImportError as err:
            raise DemoError('a detector needs MMDetection (mmdet>=3), which '
                            'tools/setup_env.sh installs') from err
        self.model = init_detector(args.det_config, args.det_checkpoint,
                                   device=args.device)
        self.infer = inference_detector
        self.args = args

    def __call__(self, key: str, img: np.ndarray) -> np.ndarray:
        from mmpose.evaluation.functional import nms
        pred = self.infer(self.model, img).pred_instances.cpu().numpy()
        keep = np.logical_and(pred.labels == self.args.det_cat_id,
                              pred.scores > self.args.det_score_thr)
        boxes = np.concatenate([pred.bboxes, pred.scores[:, None]], 1)[keep]
        if not len(boxes):
            return np.zeros((0, 4), np.float32)
        return boxes[nms(boxes, self.args.nms_thr), :4]


# ---------------------------------------------------------------- output

def build_visualizer(model, args):
    from mmpose.registry import VISUALIZERS
    cfg = model.cfg.visualizer.copy()
    cfg.update(radius=args.radius, line_width=args.thickness,
               name=f'demo_{id(args)}')  # one instance name per run
    cfg.pop('vis_backends', None)
    visualizer = VISUALIZERS.build(cfg)
    visualizer.set_dataset_meta(model.dataset_meta)
    return visualizer


def draw(visualizer, img: np.ndarray, result, kpt_thr: float) -> np.ndarray:
    """BGR overlay of ``result`` (merged PoseDataSample) on ``img``."""
    if result is None:
        return img
    visualizer.add_datasample('result', img[..., ::-1].copy(),
                              data_sample=result, draw_gt=False,
                              draw_bbox=True, draw_heatmap=False, show=False,
                              kpt_thr=kpt_thr)
    return np.ascontiguousarray(visualizer.get_image()[..., ::-1])


def heatmap_grid(crop: np.ndarray, heatmaps: np.ndarray, names) -> 'Figure':
    """Rows: stacks; columns: the crop with every joint's heatmap (max
    over joints), then one column per keypoint."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    stages, k = heatmaps.shape[:2]
    fig, axes = plt.subplots(stages, k + 1, squeeze=False,
                             figsize=(1.3 * (k + 1), 1.4 * stages + 0.4))
    h, w = crop.shape[:2]
    vmax = max(float(heatmaps.max()), 1e-6)
    for s in range(stages):
        axes[s, 0].imshow(crop[..., ::-1])
        heat = heatmaps[s].max(0)  # cold pixels left out: the crop shows
        axes[s, 0].imshow(np.ma.masked_less(heat, 0.1 * vmax), cmap='jet',
                          alpha=0.6, extent=(0, w, h, 0), vmin=0, vmax=vmax)
        axes[s, 0].set_ylabel(f'stack {s + 1}', fontsize=8)
        for j in range(k):
            axes[s, j + 1].imshow(heatmaps[s, j], cmap='jet', vmin=0,
                                  vmax=vmax)
            if s == 0:
                axes[s, j + 1].set_title(names.get(j, str(j)), fontsize=7)
    axes[0, 0].set_title('all joints', fontsize=7)
    for ax in axes.flat:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(f'heatmaps of every stack (shared colour scale, max '
                 f'{vmax:.2f})', fontsize=9)
    fig.tight_layout()
    return fig


def person_records(result) -> list:
    if result is None:
        return []
    inst = result.pred_instances
    return [dict(bbox=[round(float(v), 2) for v in inst.bboxes[i]],
                 keypoints=[[round(float(x), 2), round(float(y), 2)]
                            for x, y in inst.keypoints[i]],
                 keypoint_scores=[round(float(s), 4)
                                  for s in inst.keypoint_scores[i]])
            for i in range(len(inst.keypoints))]


class Demo:
    def __init__(self, args):
        from mmpose_hourglass_ext.apis.inference import (init_pose_model,
                                                         resolve_model)
        try:
            args.config, args.checkpoint = resolve_model(
                args.config, None if args.checkpoint == '-' else
                args.checkpoint)
        except FileNotFoundError as err:
            raise DemoError(str(err)) from err
        for path in (args.config, args.checkpoint):
            if not osp.isfile(path):
                raise DemoError(f'{path} not found')
        self.args = args
        try:
            self.model = init_pose_model(args.config, args.checkpoint,
                                         args.device)
        except ValueError as err:  # checkpoint does not fit the config
            raise DemoError(str(err)) from err
        self.boxes = (BoxesFile(args.boxes) if args.boxes else
                      Detector(args) if args.det_config else WholeImage())
        self.visualizer = build_visualizer(self.model, args)
        self.names = self.model.dataset_meta.get('keypoint_id2name', {})

    def predict(self, key: str, img: np.ndarray):
        """Merged PoseDataSample of every person, or None for no person
        (MMPose's inference_topdown would use the whole image then)."""
        from mmpose.apis import inference_topdown
        from mmpose.structures import merge_data_samples
        boxes = self.boxes(key, img)
        if not len(boxes):
            return None, boxes
        return merge_data_samples(inference_topdown(self.model, img,
                                                    boxes)), boxes

    def save_heatmaps(self, key: str, img: np.ndarray, boxes) -> None:
        from mmpose_hourglass_ext.apis.inference import stack_heatmaps
        if not len(boxes):
            return
        import matplotlib.pyplot as plt
        crop, heatmaps = stack_heatmaps(self.model, img, boxes[0])
        fig = heatmap_grid(crop, heatmaps, self.names)
        out = osp.join(self.args.out_dir, 'heatmaps',
                       osp.splitext(key)[0] + '.png')
        os.makedirs(osp.dirname(out), exist_ok=True)
        fig.savefig(out, dpi=110)
        plt.close(fig)


def run(args) -> dict:
    from tqdm import tqdm
    kind, source = list_inputs(args.input)
    demo = Demo(args)
    os.makedirs(args.out_dir, exist_ok=True)
    results, errors = {}, {}
    if kind == 'images':
        vis_dir = osp.join(args.out_dir, 'vis')
        os.makedirs(vis_dir, exist_ok=True)
        for path in tqdm(source, desc='images', disable=len(source) == 1):
            key = osp.basename(path)
            try:
                img = read_image(path)
            except DemoError as err:
                if len(source) == 1:
                    raise
                # one bad file of a folder: say so, keep the others
                print(f'tools/demo.py: skipped: {err}', file=sys.stderr)
                errors[key] = str(err)
                continue
            result, boxes = demo.predict(key, img)
            results[key] = person_records(result)
            cv2.imwrite(osp.join(vis_dir, key),
                        draw(demo.visualizer, img, result, args.kpt_thr))
            if args.heatmaps:
                demo.save_heatmaps(key, img, boxes)
    else:
        frames, fps, count = video_frames(source)
        out_path = osp.join(args.out_dir, Path(source).stem + '_overlay.mp4')
        writer = None
        for index, frame in enumerate(tqdm(frames, desc='frames',
                                           total=count or None)):
            key = str(index)
            result, boxes = demo.predict(key, frame)
            results[key] = person_records(result)
            overlay = draw(demo.visualizer, frame, result, args.kpt_thr)
            if writer is None:
                h, w = overlay.shape[:2]
                writer = cv2.VideoWriter(
                    out_path, cv2.VideoWriter_fourcc(*'mp4v'), fps, (w, h))
            writer.write(overlay)
            if args.heatmaps and index == 0:
                demo.save_heatmaps(Path(source).stem + '_frame0', frame,
                                   boxes)
        if writer is None:
            raise DemoError(f'video {source} has no readable frame')
        writer.release()
    with open(osp.join(args.out_dir, 'keypoints.json'), 'w') as f:
        json.dump(dict(config=args.config, checkpoint=args.checkpoint,
                       keypoint_names=[demo.names.get(i, str(i)) for i in
                                       range(len(demo.names))],
                       results=results, unreadable=errors), f, indent=1)
    if errors and not results:
        raise DemoError(f'no image of {args.input} could be read '
                        f'({len(errors)} damaged)')
    return results


def main(argv=None):
    args = parse_args(argv)
    try:
        results = run(args)
    except DemoError as err:
        sys.exit(f'tools/demo.py: {err}')
    persons = sum(len(v) for v in results.values())
    print(f'{len(results)} image(s)/frame(s), {persons} person(s); '
          f'results in {args.out_dir}/')
    return results


if __name__ == '__main__':
    main()
