"""Export a config + checkpoint to ONNX and check the export::

    python tools/deployment/pytorch2onnx.py CONFIG CHECKPOINT \
        [--output-file model.onnx] [--images a.jpg b.jpg ...] \
        [--no-fold-bn] [--opset 17] [--report benchmarks/onnx_export.json]

The ONNX model maps ``images (N x 3 x H x W, normalised as the config's
data preprocessor does) -> last stage's heatmaps (N x K x h x w)``, with a
dynamic batch axis. BNs that directly follow a conv are folded into it
(mmcv's ``fuse_conv_bn``, checked to 1e-5 by
``mmpose_hourglass_ext.apis.export.fold_batchnorm``); pre-activation BNs stay.

The check: the images (default: the first 4 LSP images, as whole-image
boxes) go through the config's test pipeline, then through the unfolded
PyTorch model and onnxruntime at batch size len(images). The export passes
when the largest heatmap difference is <= --atol (1e-4; times the
heatmaps' peak when that is above 1, as in untrained networks) and the decoded
keypoints (the config's codec) are identical; otherwise the .onnx file is
deleted and the tool exits with status 1. CPU latency at batch 1 (median
of --repeats runs) of PyTorch (folded) and onnxruntime is printed and, with
``--report``, written to a JSON file keyed by config name.

Needs the optional ``deploy`` extra (``pip install -e .[deploy]``:
onnx, onnxruntime), which tools/setup_env.sh installs.
"""
import argparse
import os
import os.path as osp
import statistics
import sys
import time
import warnings

import numpy as np
import torch

DEFAULT_IMAGES = [f'data/lsp/images/im000{i}.jpg' for i in range(1, 5)]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Export a model to ONNX')
    parser.add_argument('config')
    parser.add_argument('checkpoint', nargs='?', help='the trained '
                        'weights (required unless --random-weights)')
    parser.add_argument('--random-weights', action='store_true',
                        help='export freshly initialised weights (only for '
                        'testing the export itself)')
    parser.add_argument('--output-file', help='default: <checkpoint or '
                        'config name>.onnx in the current folder')
    parser.add_argument('--images', nargs='+', default=None,
                        help='images for the parity check (default: '
                        'data/lsp/images/im0001-im0004.jpg)')
    parser.add_argument('--no-fold-bn', action='store_true')
    parser.add_argument('--opset', type=int, default=17)
    parser.add_argument('--atol', type=float, default=1e-4)
    parser.add_argument('--repeats', type=int, default=10)
    parser.add_argument('--report', help='JSON file to add the results to')
    parser.add_argument('--report-table', help='markdown file whose '
                        '"<!-- onnx table -->" block is rewritten from '
                        '--report (all its rows)')
    return parser.parse_args(argv)


def load_images(paths):
    import cv2
    images = []
    for path in paths:
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        if img is None:
            raise ValueError(f'cannot read image {path} for the parity check '
                             '(give readable images with --images)')
        images.append(img)
    return images


def model_inputs(model, images) -> torch.Tensor:
    from mmpose_hourglass_ext.apis.inference import prepare_inputs
    batches = [prepare_inputs(model, img, np.array(
        [[0, 0, img.shape[1], img.shape[0]]], np.float32))['inputs']
               for img in images]
    return torch.cat(batches)


def decode(model, heatmaps: np.ndarray) -> np.ndarray:
    """Keypoints (in heatmap-input pixels) of each heatmap set."""
    return np.stack([model.head.decoder.decode(h)[0] for h in heatmaps])


def median_latency(fn, repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def export(args) -> dict:
    try:
        import onnx
        import onnxruntime as ort
    except ImportError as err:
        raise RuntimeError('ONNX export needs the deploy extra: pip install '
                           '-e ".[deploy]" (onnx, onnxruntime)') from err
    from mmpose_hourglass_ext.apis.export import (LastStageHeatmaps,
                                             count_batchnorms,
                                             fold_batchnorm)
    from mmpose_hourglass_ext.apis.inference import init_pose_model

    model = init_pose_model(args.config, args.checkpoint, 'cpu')
    images = load_images(args.images or DEFAULT_IMAGES)
    inputs = model_inputs(model, images)
    net = LastStageHeatmaps(model).eval()
    total_bn = count_batchnorms(net)
    folded, num_folded = ((net, 0) if args.no_fold_bn else
                          fold_batchnorm(net, inputs))

    name = osp.splitext(osp.basename(args.checkpoint or args.config))[0]
    out = args.output_file or f'{name}.onnx'
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    with warnings.catch_warnings():
        # the TorchScript exporter is deprecated in favour of the dynamo
        # one; we keep it: it needs no onnxscript and folds eval-mode BN
        warnings.simplefilter('ignore', DeprecationWarning)
        # the hourglass's side-length check reads the (fixed) H and W
        warnings.simplefilter('ignore', torch.jit.TracerWarning)
        torch.onnx.export(folded, (inputs[:1],), out, dynamo=False,
                          input_names=['images'], output_names=['heatmaps'],
                          dynamic_axes={'images': {0: 'batch'},
                                        'heatmaps': {0: 'batch'}},
                          opset_version=args.opset, do_constant_folding=True)
    try:
        onnx.checker.check_model(out)
        session = ort.InferenceSession(out,
                                       providers=['CPUExecutionProvider'])
        with torch.no_grad():
            ref = net(inputs).numpy()
        got = session.run(None, {'images': inputs.numpy()})[0]
        max_diff = float(np.abs(ref - got).max())
        same_keypoints = bool(np.array_equal(decode(model, ref),
                                             decode(model, got)))
        one = inputs[:1]
        with torch.no_grad():
            torch_s = median_latency(lambda: folded(one), args.repeats)
        ort_s = median_latency(
            lambda: session.run(None, {'images': one.numpy()}), args.repeats)
    except Exception:
        os.remove(out)
        raise
    # heatmaps of a trained model peak near 1, so the tolerance is --atol
    # there; untrained (random) networks can reach values in the hundreds,
    # where float32 rounding alone exceeds 1e-4: scale with the peak
    scale = max(1.0, float(np.abs(ref).max()))
    passed = (max_diff <= args.atol * scale and same_keypoints
              and got.shape == ref.shape)
    result = dict(
        config=args.config, checkpoint=args.checkpoint,
        onnx=out if passed else None, opset=args.opset,
        input_shape=list(inputs.shape[1:]), output_shape=list(got.shape[1:]),
        images=len(images), batchnorms=total_bn, folded=num_folded,
        max_abs_diff=max_diff, heatmap_peak=float(np.abs(ref).max()),
        identical_keypoints=same_keypoints, atol=args.atol,
        tolerance=args.atol * scale, passed=passed,
        latency_ms_batch1=dict(pytorch=round(torch_s * 1e3, 2),
                               onnxruntime=round(ort_s * 1e3, 2)),
        threads=torch.get_num_threads(), torch=torch.__version__,
        onnxruntime=ort.__version__,
        size_mib=round(osp.getsize(out) / 2**20, 2))
    if not passed:
        os.remove(out)
    return result


def report_table(report: str) -> str:
    import json
    rows = json.loads(open(report).read())
    lines = ['| config | weights | BN folded | max abs heatmap diff (peak) '
             '| keypoints identical | PyTorch ms | onnxruntime ms | MiB |',
             '|---|---|---|---|---|---|---|---|']
    for name, r in sorted(rows.items()):
        lat = r['latency_ms_batch1']
        lines.append(
            f"| {name} | {'trained' if r['checkpoint'] else 'random'} | "
            f"{r['folded']} of {r['batchnorms']} | {r['max_abs_diff']:.1e} "
            f"({r['heatmap_peak']:.2g}) | "
            f"{'yes' if r['identical_keypoints'] else 'NO'} | "
            f"{lat['pytorch']} | {lat['onnxruntime']} | {r['size_mib']} |")
    return '\n'.join(lines)


def main(argv=None):
    args = parse_args(argv)
    if args.checkpoint is None and not args.random_weights:
        raise SystemExit(
            'no checkpoint given: the export would hold random weights. '
            'Give the trained .pth after the config, or --random-weights '
            'to test the export itself.')
    if args.checkpoint and args.random_weights:
        raise SystemExit('give a checkpoint or --random-weights, not both')
    try:
        result = export(args)
    except (ValueError, FileNotFoundError, RuntimeError) as err:
        sys.exit(f'pytorch2onnx: {err}')
    if args.report:
        from mmpose_hourglass_ext.utils.analysis import (replace_marked_block,
                                                   update_results)
        update_results(args.report, {
            osp.splitext(osp.basename(args.config))[0]: result})
        if args.report_table:
            replace_marked_block(args.report_table, '<!-- onnx table -->',
                                 '<!-- end onnx table -->',
                                 report_table(args.report))
    lat = result['latency_ms_batch1']
    print(f"BN folded: {result['folded']} of {result['batchnorms']}; "
          f"max |heatmap diff| {result['max_abs_diff']:.2e} (<= "
          f"{result['tolerance']:.2g}), identical keypoints: "
          f"{result['identical_keypoints']} on {result['images']} images; "
          f"batch-1 CPU latency: PyTorch {lat['pytorch']} ms, "
          f"onnxruntime {lat['onnxruntime']} ms")
    if not result['passed']:
        sys.exit('pytorch2onnx: the export does not match PyTorch; the '
                 '.onnx file was deleted')
    print(f"wrote {result['onnx']} ({result['size_mib']} MiB)")
    return result


if __name__ == '__main__':
    main()
