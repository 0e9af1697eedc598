"""Speed of every family next to MMPose's own HourglassNet and
SimpleBaseline-R50, measured in one process, interleaved (a benchmark
script, not a test: the numbers depend on the machine)::

    python tools/analysis/speed.py [--models NAME ...] [--configs CFG ...]
        [--batch-size 4] [--infer-batches 1 32] [--iters 3]
        [--amp fp16|bf16] [--channels-last] [--compile] [--fold-bn]
        [--profile] [--device cpu|cuda] [--reference CHECKOUT] [--ops-only]

Per model, at the config's input size (256x256 for the paper-size set):

* training step: forward of backbone + head, MSE of every stage's output
  against a fixed random target, backward (no optimizer step);
* inference at each ``--infer-batches`` size (eval mode, no grad; BN
  folded with ``--fold-bn``);
* params, GFLOPs (mmengine's multiply-adds for one image, backbone +
  head), achieved GFLOP/s (training: 3 x forward FLOPs x batch / step
  time; inference: FLOPs x batch / time);
* operators one batch-1 forward dispatches (each is at least one kernel
  launch on a GPU; ``--ops-only`` counts only these, without timing);
* memory: the activations a training step saves for backward (all
  devices; with parameters and gradients they make the step's peak), and
  on CUDA the allocator's peak per step and inference batch.

Models are timed round-robin (one step of each, ``--iters`` rounds after a
warm-up round) so machine noise spreads over all of them; the median is
reported. Writes ``benchmarks/speed_<device>[_<variant>].json`` and the
table between the ``<!-- speed table ... -->`` markers of
docs/benchmarks.md. ``--profile`` adds each model's share of training-step
time per operator kind (torch.profiler) to the JSON.
"""
import argparse
import datetime
import os.path as osp
import re
import statistics
import sys
import time
from pathlib import Path

import torch
import torch.nn as nn

from mmpose_hourglass_ext.models.families import FAMILIES
from mmpose_hourglass_ext.utils.regional_compile import (compile_regions,
                                                         mark_step)

ROOT = Path(__file__).resolve().parents[2]


def mmpose_config(rel: str) -> str:
    import mmpose
    return osp.join(osp.dirname(mmpose.__file__), '.mim', 'configs', rel)


def our_name(family) -> str:
    return f'ours {family.backbone} {family.paper_size}'


BASELINE = 'ours StackedHourglass 8x256'
HOURGLASSNET = 'MMPose HourglassNet (hourglass52)'
MODEL_SET = {  # display name -> config: every family of the package's list
    **{our_name(f): f.paper_config for f in FAMILIES},
    HOURGLASSNET: 'mmpose::body_2d_keypoint/topdown_heatmap/mpii/'
                  'td-hm_hourglass52_8xb64-210e_mpii-256x256.py',
    'MMPose SimpleBaseline ResNet-50': 'mmpose::body_2d_keypoint/'
                  'topdown_heatmap/mpii/td-hm_res50_8xb64-210e_mpii-256x256.py',
}
assert BASELINE in MODEL_SET


class Network(nn.Module):
    """Backbone (+ neck) + head of a top-down model; returns every stage's
    heatmaps (what the losses see)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        from mmpose_hourglass_ext.apis import stage_heatmaps
        return stage_heatmaps(self.model, x)


REFERENCE = 'princeton-vl PoseNet 8x256 (reference)'


class ReferenceNetwork(nn.Module):
    """princeton-vl's pytorch_stacked_hourglass ``PoseNet`` (the reference
    PyTorch implementation of Newell's model), imported from a local
    checkout that ``--reference`` names -- its code is not part of this
    package. Returns every stack's heatmaps, as :class:`Network`."""

    def __init__(self, checkout: str, num_stacks=8, channels=256,
                 num_keypoints=16):
        super().__init__()
        import sys
        if not osp.isfile(osp.join(checkout, 'models', 'posenet.py')):
            raise SystemExit(f'--reference {checkout}: no models/posenet.py '
                             'there; clone princeton-vl/pytorch_stacked_'
                             'hourglass and name its folder')
        sys.path.insert(0, checkout)
        from models.posenet import PoseNet
        self.model = PoseNet(num_stacks, channels, num_keypoints)

    def forward(self, x):
        # PoseNet takes images channels-last (N, H, W, 3) and permutes them
        return list(self.model(x.permute(0, 2, 3, 1)).unbind(1))

    def compile_repeated(self, **compile_kwargs) -> str:
        """Its repeated unit too, for a like-for-like comparison: each
        stack's hourglass (``PoseNet.hgs``)."""
        for hourglass in self.model.hgs:
            hourglass.compile(**compile_kwargs)
        return f'hgs ({len(self.model.hgs)} x Hourglass)'


ANIBALI = 'anibali hg8 (pytorch-stacked-hourglass)'


class AnibaliNetwork(nn.Module):
    """anibali's ``pytorch-stacked-hourglass`` hg8 (PyPI, GPL-3: the same
    Newell 8 x 256 model), a second peer; installed in the benchmark's
    environment only, never a dependency of this package. Its model file
    is loaded on its own: the package's ``__init__`` imports its predictor
    and datasets, which need more than the model does."""

    def __init__(self, num_keypoints=16):
        super().__init__()
        import importlib.util
        spec = importlib.util.find_spec('stacked_hourglass')
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit('--anibali: pytorch-stacked-hourglass is not '
                             'installed (pip install pytorch-stacked-'
                             'hourglass, in the benchmark environment only)')
        path = osp.join(spec.submodule_search_locations[0], 'model.py')
        model_spec = importlib.util.spec_from_file_location(
            'anibali_hourglass_model', path)
        module = importlib.util.module_from_spec(model_spec)
        model_spec.loader.exec_module(module)
        self.model = module.hg(num_stacks=8, num_blocks=1,
                               num_classes=num_keypoints)

    def forward(self, x):
        return self.model(x)

    def compile_repeated(self, **compile_kwargs) -> str:
        for hourglass in self.model.hg:
            hourglass.compile(**compile_kwargs)
        return f'hg ({len(self.model.hg)} x Hourglass)'


def compile_options(args) -> dict:
    return dict(mode='reduce-overhead') if getattr(
        args, 'cuda_graphs', False) else {}


def compile_net(net, **compile_kwargs) -> str:
    """Regional compilation of a benchmarked network, in place."""
    if isinstance(net, (ReferenceNetwork, AnibaliNetwork)):
        return net.compile_repeated(**compile_kwargs)
    return compile_regions(net.model, **compile_kwargs)


def count_ops(fn) -> int:
    """aten operators ``fn`` dispatches. On a GPU each launches at least one
    kernel; a model of many small operators is then bound by launching and
    dispatching them rather than by arithmetic, which this count shows
    where the timings alone cannot."""
    from torch.utils._python_dispatch import TorchDispatchMode

    class Counter(TorchDispatchMode):
        ops = 0

        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            self.ops += 1
            return func(*args, **(kwargs or {}))

    with Counter() as counter:
        fn()
    return counter.ops


def saved_activation_mib(fn) -> float:
    """MiB of the distinct storages autograd saves for backward while
    ``fn`` runs: the activation memory of a training step, which with the
    parameters and gradients makes its peak. (CPU has no allocator peak
    counter like CUDA's; the process's resident size stays at its
    high-water mark across models in one process.)"""
    storages = {}

    def pack(t):
        storage = t.untyped_storage()
        storages[storage.data_ptr()] = storage.nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        fn()
    return sum(storages.values()) / 2**20


class Bench:
    """One model with its inputs, targets and timing functions."""

    def __init__(self, name, config, args, device, net=None):
        from mmengine.config import Config
        from mmpose.registry import MODELS

        from mmpose_hourglass_ext.utils.analysis import complexity, count_params
        self.name, self.config, self.args = name, config, args
        if net is None:
            path = (mmpose_config(config.split('::', 1)[1]) if '::' in config
                    else str(ROOT / config))
            cfg = Config.fromfile(path)
            if args.input_size:  # the head's codec follows the input
                w, h = args.input_size
                decoder = cfg.model.head.decoder
                if 'heatmap_size' in decoder:
                    scale = decoder.input_size[0] // decoder.heatmap_size[0]
                    decoder.heatmap_size = (w // scale, h // scale)
                decoder.input_size = (w, h)
            self.net = Network(MODELS.build(cfg.model))
            w, h = cfg.model.head.decoder.input_size
        else:  # a network from outside the registry (--reference)
            self.net = net
            w, h = args.input_size or (256, 256)
        self.hw = (h, w)
        self.params = count_params(self.net)
        _, self.flops = complexity(self.net, (h, w))
        self.memory_format = (torch.channels_last if args.channels_last
                              else torch.contiguous_format)
        self.net.to(device, memory_format=self.memory_format)
        self.device = device
        self.x = self.images(args.batch_size)
        with torch.no_grad():
            self.targets = [torch.rand_like(o).float()
                            for o in self.net(self.x)]
        self.train_net = self.infer_net = self.net
        if args.compile:  # in place, the unit that repeats (--compile)
            self.compiled = compile_net(self.net, **compile_options(args))
        self.times = dict(train=[])
        self.memory = {}
        self.ops = self.count_inference_ops()

    def count_inference_ops(self) -> int:
        """Operators of one batch-1 inference forward, in this run's
        precision (autocast's casts count)."""
        self.net.eval()
        x = self.images(1)
        with torch.no_grad(), self.autocast():
            ops = count_ops(lambda: self.net(x))
        self.net.train()
        return ops

    def images(self, batch):
        return torch.randn(batch, 3, *self.hw, device=self.device).to(
            memory_format=self.memory_format)

    def autocast(self):
        dtype = dict(fp16=torch.float16, bf16=torch.bfloat16).get(
            self.args.amp)
        return torch.autocast(self.device.split(':')[0], dtype=dtype,
                              enabled=dtype is not None)

    def sync(self):
        if self.device.startswith('cuda'):
            torch.cuda.synchronize()

    def measure(self, fn):
        """(seconds, CUDA peak memory MiB or None) of one call."""
        cuda = self.device.startswith('cuda')
        self.sync()
        if cuda:
            torch.cuda.reset_peak_memory_stats()
        start = time.perf_counter()
        fn()
        self.sync()
        seconds = time.perf_counter() - start
        return seconds, (torch.cuda.max_memory_allocated() / 2**20
                         if cuda else None)

    def step(self):
        """One training step: forward of every stage, MSE against fixed
        targets, backward (no optimizer step)."""
        self.net.zero_grad(set_to_none=True)
        if getattr(self.args, 'cuda_graphs', False):
            mark_step()  # the last step's graph outputs may be reused
        with self.autocast():
            outs = self.train_net(self.x)
        loss = sum(nn.functional.mse_loss(o.float(), t)
                   for o, t in zip(outs, self.targets))
        loss.backward()
        if not torch.isfinite(loss):
            raise RuntimeError(f'{self.name}: non-finite loss {loss}')

    def train_step(self, timed: bool = True):
        self.net.train()
        if not timed:
            self.saved_mib = saved_activation_mib(self.step)
            return
        seconds, mib = self.measure(self.step)
        self.times['train'].append(seconds)
        if mib is not None:
            self.memory['train'] = max(self.memory.get('train', 0), mib)

    def prepare_inference(self):
        self.net.eval()
        if self.args.fold_bn:
            from mmpose_hourglass_ext.apis.export import (LastStageHeatmaps,
                                                     fold_batchnorm)
            # folded in the last stage's network, which is what deployment
            # runs; the folded copy runs every stage like the unfolded one
            folded, self.folded = fold_batchnorm(
                LastStageHeatmaps(self.net.model), self.images(2))
            self.infer_net = Network(folded.model)
        if self.args.compile and self.args.fold_bn:
            compile_net(self.infer_net, **compile_options(self.args))

    def infer(self, batch, inputs):
        def run(net):
            def call():
                if getattr(self.args, 'cuda_graphs', False):
                    mark_step()
                with torch.no_grad(), self.autocast():
                    net(inputs)
            return call
        if self.args.fold_bn:  # the same batch unfolded, for an A/B
            seconds, _ = self.measure(run(self.net))
            self.times.setdefault(f'infer_b{batch}_unfolded', []).append(
                seconds)
        seconds, mib = self.measure(run(self.infer_net))
        self.times.setdefault(f'infer_b{batch}', []).append(seconds)
        if mib is not None:
            self.memory[f'infer_b{batch}'] = max(
                self.memory.get(f'infer_b{batch}', 0), mib)

    def row(self) -> dict:
        med = {k: statistics.median(v[1:]) for k, v in self.times.items()}
        gflops = self.flops / 1e9
        row = dict(config=self.config, params_M=round(self.params / 1e6, 2),
                   GFLOPs=round(gflops, 2), input_hw=list(self.hw),
                   train_batch=self.args.batch_size,
                   ops_per_forward=self.ops,
                   train_s_per_step=round(med['train'], 3),
                   train_GFLOPs_per_s=round(
                       3 * gflops * self.args.batch_size / med['train'], 1),
                   all_train_s=[round(t, 3) for t in self.times['train']],
                   train_saved_activations_MiB=round(self.saved_mib, 1),
                   cuda_peak_memory_MiB={k: round(v, 1)
                                         for k, v in self.memory.items()})
        for b in self.args.infer_batches:
            t = med[f'infer_b{b}']
            row[f'infer_b{b}_ms'] = round(t * 1e3, 1)
            row[f'infer_b{b}_GFLOPs_per_s'] = round(gflops * b / t, 1)
        if self.args.fold_bn:
            row['bn_folded'] = self.folded
            for b in self.args.infer_batches:
                row[f'infer_b{b}_unfolded_ms'] = round(
                    med[f'infer_b{b}_unfolded'] * 1e3, 1)
        return row


OP_KINDS = (  # profiler op name pattern -> kind
    (r'convolution_backward|ConvolutionBackward|mkldnn_convolution_backward',
     'conv backward'),
    (r'conv|mkldnn_convolution', 'conv forward'),
    (r'batch_norm|BatchNorm', 'batch norm'),
    (r'relu|threshold', 'relu'),
    (r'\bcat\b|CatBackward|aten::cat', 'concat'),
    (r'upsample|interpolate', 'resize'),
    (r'max_pool', 'max pool'),
    (r'add|AddBackward|sum', 'add'),
    (r'copy|clone|contiguous|to\b|_to_copy', 'copy'),
)


CONV_FORWARD = ('aten::mkldnn_convolution', 'aten::_slow_conv2d_forward',
                'aten::thnn_conv2d', 'aten::cudnn_convolution',
                'aten::_convolution')
CONV_BACKWARD = ('aten::convolution_backward',)


def conv_groups(prof) -> dict:
    """Per kernel size (and width, C_in -> C_out bucket): share of the
    step's self time spent in its convolutions (forward + backward) and
    their achieved GFLOP/s (3 x forward multiply-adds / that time). The
    backward's shapes give each conv's input and output sizes."""
    groups, total = {}, 0.0
    for evt in prof.key_averages(group_by_input_shape=True):
        total += evt.self_cpu_time_total
        shapes = evt.input_shapes or []
        if evt.key in CONV_BACKWARD and len(shapes) > 2 and shapes[2]:
            grad_out, weight = shapes[0], shapes[2]
        elif evt.key in CONV_FORWARD and len(shapes) > 1 and shapes[1]:
            weight, grad_out = shapes[1], None
        else:
            continue
        if len(weight) != 4:
            continue
        k = f'{weight[2]}x{weight[3]}'
        thin = 'narrow (<= 64 ch)' if min(weight[0], weight[1]) <= 64 \
            else 'wide'
        group = groups.setdefault(f'{k} {thin}', dict(us=0.0, macs=0.0))
        group['us'] += evt.self_cpu_time_total
        if grad_out and len(shapes[1]) == 4:
            # weight elements x positions of the smaller side: output for
            # a (strided) conv, input for a transposed conv
            n = grad_out[0]
            positions = min(grad_out[2] * grad_out[3],
                            shapes[1][2] * shapes[1][3])
            group['macs'] += evt.count * n * positions * weight[0] * \
                weight[1] * weight[2] * weight[3]
    return {name: dict(share=round(g['us'] / total, 3),
                       GFLOPs_per_s=round(3 * g['macs'] / g['us'] / 1e3, 1)
                       if g['us'] and g['macs'] else None)
            for name, g in sorted(groups.items(), key=lambda kv: -kv[1]['us'])}


def profile_step(bench) -> dict:
    """Share of one training step's self CPU time per operator kind, and
    the conv groups of :func:`conv_groups`."""
    from torch.profiler import ProfilerActivity, profile
    bench.train_step(timed=False)  # warm
    with profile(activities=[ProfilerActivity.CPU],
                 record_shapes=True) as prof:
        bench.train_step(timed=False)
    shares = {}
    total = 0.0
    for event in prof.key_averages():
        t = event.self_cpu_time_total
        total += t
        kind = next((k for pattern, k in OP_KINDS
                     if re.search(pattern, event.key)), 'other')
        shares[kind] = shares.get(kind, 0.0) + t
    return dict(ops={k: round(v / total, 3) for k, v in sorted(
        shares.items(), key=lambda kv: -kv[1])}, convs=conv_groups(prof))


def machine_peak(device: str, rounds: int = 5) -> dict:
    """The machine's reachable arithmetic rate in this process, in the
    tool's unit (multiply-adds per second, G): a 2048^3 matmul and a 3x3
    convolution of 256 channels on 8 x 64 x 64 maps, float32 (NCHW) and
    bf16 autocast (channels-last for the convolution, the fast mode's
    layout); median of ``rounds`` after a warm-up."""
    def timed(fn):
        fn()
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            fn()
            if device.startswith('cuda'):
                torch.cuda.synchronize()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    a = torch.randn(2048, 2048, device=device)
    b = torch.randn(2048, 2048, device=device)
    x = torch.randn(8, 256, 64, 64, device=device)
    conv = nn.Conv2d(256, 256, 3, padding=1, bias=False).to(device)
    matmul_macs = 2048**3
    conv_macs = 8 * 256 * 256 * 9 * 64 * 64
    kind = 'cuda' if device.startswith('cuda') else 'cpu'
    peak = {}
    with torch.no_grad():
        peak['fp32'] = dict(
            matmul=round(matmul_macs / timed(lambda: a @ b) / 1e9, 1),
            conv3x3=round(conv_macs / timed(lambda: conv(x)) / 1e9, 1))
        x_cl = x.contiguous(memory_format=torch.channels_last)
        conv_cl = conv.to(memory_format=torch.channels_last)
        with torch.autocast(kind, dtype=torch.bfloat16):
            peak['bf16'] = dict(
                matmul=round(matmul_macs / timed(lambda: a @ b) / 1e9, 1),
                conv3x3=round(conv_macs / timed(lambda: conv_cl(x_cl)) / 1e9,
                              1))
    return peak


def peak_key(args) -> str:
    return args.amp if args.amp == 'bf16' else 'fp32'


def device_label(device: str) -> str:
    if device.startswith('cuda'):
        return torch.cuda.get_device_name()
    from mmpose_hourglass_ext.utils.analysis import machine_label
    return f'{machine_label()}, {torch.get_num_threads()} threads'



def variant(args) -> str:
    parts = ([args.amp] if args.amp else []) + (
        ['channels_last'] if args.channels_last else []) + (
        ['cudagraphs'] if getattr(args, 'cuda_graphs', False) else
        ['compile'] if args.compile else []) + (
        ['foldbn'] if args.fold_bn else [])
    return '_'.join(parts)


def markdown(results: dict) -> str:
    meta = results['_meta']
    rows = {k: v for k, v in results.items() if not k.startswith('_')}
    base = rows.get(BASELINE, {}).get('train_GFLOPs_per_s')
    hgnet = rows.get(HOURGLASSNET, {}).get('train_GFLOPs_per_s')
    batches = meta['infer_batches']
    bn = batches[-1]
    ops = all('ops_per_forward' in r for r in rows.values())
    lines = [
        f"{meta['device']}; torch {meta['torch']}; variant: "
        f"{meta['variant'] or 'fp32'}; training batch {meta['batch_size']}, "
        f"median of {meta['iters']} interleaved rounds; {meta['date']}.",
        '',
        '| model | params | GFLOPs | train s/step | train GFLOP/s | '
        'x baseline | of conv peak | '
        + ''.join(f'infer b{b} ms | ' for b in batches)
        + f'infer b{bn} GFLOP/s | train activations MiB |'
        + (' ops / forward |' if ops else ''),
        '|---' * (9 + len(batches) + ops) + '|']
    for name, r in rows.items():
        ratio = (f"{r['train_GFLOPs_per_s'] / base:.2f}" if base else '')
        fraction = r.get('train_fraction_of_conv_peak')
        fraction = f'{100 * fraction:.0f}%' if fraction is not None else ''
        lines.append(
            f"| {name} | {r['params_M']}M | {r['GFLOPs']} | "
            f"{r['train_s_per_step']} | {r['train_GFLOPs_per_s']} | {ratio} | "
            f"{fraction} | "
            + ''.join(f"{r[f'infer_b{b}_ms']} | " for b in batches)
            + f"{r[f'infer_b{bn}_GFLOPs_per_s']} | "
            f"{r['train_saved_activations_MiB']} |"
            + (f" {r['ops_per_forward']} |" if ops else ''))
    if meta['variant'] and 'foldbn' in meta['variant']:
        lines += ['', f'BN folding, same rounds: batch-{bn} inference '
                  'unfolded -> folded (ms): ' + '; '.join(
                      f"{name}: {r[f'infer_b{bn}_unfolded_ms']} -> "
                      f"{r[f'infer_b{bn}_ms']} ({r['bn_folded']} BNs)"
                      for name, r in rows.items()) + '.']
    peak = meta.get('peak_GFLOPs_per_s')
    if peak:
        lines += ['', "The machine's peak in the same process (G "
                  'multiply-adds/s; 2048^3 matmul, 3x3 conv 256 ch on 8 x '
                  '64 x 64): ' + '; '.join(
                      f"{k}: matmul {v['matmul']}, conv {v['conv3x3']}"
                      for k, v in peak.items()) + '. "of conv peak": '
                  "training GFLOP/s over this run's precision's conv peak."]
    if base and hgnet:
        lines += ['', f'Baseline / HourglassNet training GFLOP/s: '
                  f'{base / hgnet:.2f}.']
    profiled = {k: v['train_profile'] for k, v in rows.items()
                if 'train_profile' in v}
    if profiled:
        lines += ['', 'Where a training step\'s time goes (torch.profiler, '
                  'self time shares) and how fast each kind of convolution '
                  'runs (forward + backward, 3 x multiply-adds / time):', '',
                  '| model | conv | batch norm | relu | max pool | copy + '
                  'concat + resize | other | convolutions by kind: share of '
                  'step @ GFLOP/s |', '|---|---|---|---|---|---|---|---|']
        for name, p in profiled.items():
            ops = p['ops']
            conv = ops.get('conv forward', 0) + ops.get('conv backward', 0)
            moves = sum(ops.get(k, 0) for k in ('copy', 'concat', 'resize'))
            kinds = '; '.join(
                f"{k}: {100 * g['share']:.0f}% @ {g['GFLOPs_per_s']}"
                for k, g in p['convs'].items() if g['share'] >= 0.02)
            lines.append(
                f"| {name} | {100 * conv:.0f}% | "
                f"{100 * ops.get('batch norm', 0):.0f}% | "
                f"{100 * ops.get('relu', 0):.0f}% | "
                f"{100 * ops.get('max pool', 0):.0f}% | {100 * moves:.0f}% | "
                f"{100 * (ops.get('other', 0) + ops.get('add', 0)):.0f}% | "
                f'{kinds} |')
    return '\n'.join(lines)


def write_ops(models: dict, args) -> dict:
    """``--ops-only``: operators per batch-1 forward, no timing."""
    import json
    ops = {}
    for name, config in models.items():
        ops[name] = Bench(name, config, args, args.device).ops
        print(f'{name}: {ops[name]} operators per forward', flush=True)
    ops['_meta'] = dict(torch=torch.__version__, device=args.device,
                        variant=variant(args) or 'fp32',
                        date=datetime.date.today().isoformat())
    name = 'ops_per_forward' + (f'_{variant(args)}' if variant(args) else '')
    out = Path(args.out or ROOT / 'benchmarks' / f'{name}.json')
    out.write_text(json.dumps(ops, indent=2) + '\n')
    print(f'wrote {out}')
    return ops


def all_benches(models: dict, args):
    """(name, factory) of each model to measure, the reference last."""
    made = [(name, lambda name=name, config=config: Bench(
        name, config, args, args.device)) for name, config in models.items()]
    if args.reference:
        made.append((REFERENCE, lambda: Bench(
            REFERENCE, args.reference, args, args.device,
            net=ReferenceNetwork(args.reference))))
    if args.anibali:
        made.append((ANIBALI, lambda: Bench(ANIBALI, 'pytorch-stacked-'
                                            'hourglass hg8', args,
                                            args.device,
                                            net=AnibaliNetwork())))
    return made


def seconds_of(bench) -> float:
    seconds, _ = bench.measure(bench.step)
    return seconds


def cold_compiles(args) -> None:
    """Compile times as a user's first run sees them: inductor's on-disk
    caches (kept across processes, so a second run of the same graph
    takes seconds) are off unless ``--warm-cache``."""
    if not args.warm_cache:
        import torch._inductor.config as inductor_config
        inductor_config.force_disable_caches = True


def write_ops_per_step(models: dict, args) -> dict:
    """``--ops``: per model, the aten operators of one eager training step
    and the kernels of one eager and one compiled step (regional
    compilation, utils/regional_compile.py), with the compile time ->
    benchmarks/ops_per_step[_<variant>].json and its docs table."""
    from mmpose_hourglass_ext.utils.kernel_count import (count_aten_ops,
                                                         count_launches,
                                                         name_cpu_kernels)
    from mmpose_hourglass_ext.utils.regional_compile import CompileTimer
    name_cpu_kernels()  # before anything compiles
    cold_compiles(args)
    rows = {}
    for name, make in all_benches(models, args):
        print(f'{name}: counting', flush=True)
        torch._dynamo.reset()
        bench = make()
        bench.net.train()
        bench.step()  # warm-up
        eager_s = seconds_of(bench)
        aten = count_aten_ops(bench.step)
        eager = count_launches(bench.step, args.device)
        what = compile_net(bench.net, **compile_options(args))
        timer = CompileTimer()
        timer.start()
        bench.step()
        graphs, first_s = timer.stop()
        compiled_s = seconds_of(bench)
        compiled = count_launches(bench.step, args.device)
        rows[name] = dict(
            config=bench.config, input_hw=list(bench.hw),
            train_batch=args.batch_size,
            eager_aten_ops={k: aten[k] for k in ('conv', 'other', 'total')},
            eager_aten_op_kinds=dict(list(aten['kinds'].items())[:12]),
            eager_kernels=eager, compiled_kernels=compiled,
            compiled=what, compiled_graphs=graphs,
            first_compiled_step_s=round(first_s, 1),
            compile_s=round(first_s - compiled_s, 1),
            eager_step_s=round(eager_s, 3),
            compiled_step_s=round(compiled_s, 3))
        print(f"{name}: {aten['total']} aten ops, kernels eager "
              f"{eager['total']} -> compiled {compiled['total']}, compile "
              f"{first_s - compiled_s:.1f} s ({graphs} graphs)", flush=True)
    rows['_meta'] = dict(torch=torch.__version__,
                         device=device_label(args.device),
                         variant=variant(args) or 'fp32',
                         batch_size=args.batch_size,
                         date=datetime.date.today().isoformat())
    name = 'ops_per_step' + ('_cuda' if args.device.startswith('cuda') else
                             '') + (f'_{variant(args)}' if variant(args)
                                    else '')
    return save_results(rows, args, name, name, ops_markdown(rows),
                        to_docs=not args.configs)


def ops_markdown(rows: dict) -> str:
    meta = rows['_meta']
    lines = [
        f"Operators and kernels of one training step (forward + MSE of "
        f"every stage + backward), batch {meta['batch_size']}, "
        f"{meta['variant']}, torch {meta['torch']}, {meta['device']} "
        f"({meta['date']}); compiled = regional compilation (`--compile`).",
        '',
        '| model | eager aten ops (conv) | eager kernels: conv + rest | '
        'compiled kernels: conv + generated + rest | kernels removed | '
        'compile s (graphs) |',
        '|---|---|---|---|---|---|']
    for name, r in rows.items():
        if name.startswith('_'):
            continue
        a, e, c = r['eager_aten_ops'], r['eager_kernels'], r['compiled_kernels']
        removed = 1 - c['total'] / e['total'] if e['total'] else 0
        lines.append(
            f"| {name} | {a['total']} ({a['conv']}) | {e['conv']} + "
            f"{e['other']} = {e['total']} | {c['conv']} + {c['generated']} + "
            f"{c['other']} = {c['total']} | {100 * removed:.0f}% | "
            f"{r['compile_s']} ({r['compiled_graphs']}) |")
    return '\n'.join(lines)


def compare_compile(models: dict, args) -> dict:
    """``--compare-compile``: eager and compiled training steps of each
    model interleaved in one run (``torch.compiler.set_stance(
    'force_eager')`` runs the same compiled modules eagerly), the compile
    time apart and amortised over ``--amortise`` iterations ->
    benchmarks/compile_vs_eager_<device>[_<variant>].json and its table."""

    from mmpose_hourglass_ext.utils.regional_compile import CompileTimer
    cold_compiles(args)
    benches, rows = [], {}
    for name, make in all_benches(models, args):
        print(f'{name}: building and compiling', flush=True)
        bench = make()
        bench.net.train()
        bench.step()
        eager_s = seconds_of(bench)
        bench.what = compile_net(bench.net, **compile_options(args))
        timer = CompileTimer()
        timer.start()
        bench.step()
        bench.graphs, first_s = timer.stop()
        bench.compile_s = first_s - eager_s  # the step itself is not compile
        bench.times = dict(eager=[], compiled=[])
        benches.append(bench)
    for r in range(args.iters + 1):  # round 0 is the warm-up
        print(f'round {r} of {args.iters}', flush=True)
        for bench in benches:
            with torch.compiler.set_stance('force_eager'):
                bench.times['eager'].append(seconds_of(bench))
            bench.times['compiled'].append(seconds_of(bench))
    n = args.amortise
    for bench in benches:
        eager = statistics.median(bench.times['eager'][1:])
        compiled = statistics.median(bench.times['compiled'][1:])
        rows[bench.name] = dict(
            config=bench.config, input_hw=list(bench.hw),
            train_batch=args.batch_size, compiled=bench.what,
            compiled_graphs=bench.graphs,
            compile_s=round(bench.compile_s, 1),
            eager_step_s=round(eager, 3), compiled_step_s=round(compiled, 3),
            step_speedup=round(eager / compiled, 2),
            amortised_iters=n,
            overall_speedup=round(n * eager / (bench.compile_s
                                               + n * compiled), 2),
            all_eager_s=[round(t, 3) for t in bench.times['eager']],
            all_compiled_s=[round(t, 3) for t in bench.times['compiled']])
    kind = 'cuda' if args.device.startswith('cuda') else 'cpu'
    key = f'compile_vs_eager_{kind}' + (f'_{variant(args)}' if variant(args)
                                        else '')
    rows['_meta'] = dict(device=device_label(args.device),
                         torch=torch.__version__, variant=variant(args),
                         batch_size=args.batch_size, iters=args.iters,
                         date=datetime.date.today().isoformat())
    # --configs here are the zoo entries it is about: its docs table too
    return save_results(rows, args, key, key, compile_markdown(rows),
                        to_docs=True)


def compile_markdown(rows: dict) -> str:
    meta = rows['_meta']
    lines = [
        f"Eager vs compiled (regional) training steps, interleaved in one "
        f"run, batch {meta['batch_size']}, {meta['variant'] or 'fp32'}, "
        f"torch {meta['torch']}, {meta['device']} ({meta['date']}); median "
        f"of {meta['iters']} rounds.",
        '',
        '| model | input | eager s/step | compiled s/step | step speed-up | '
        'compile s | overall speed-up over N iterations |',
        '|---|---|---|---|---|---|---|']
    for name, r in rows.items():
        if name.startswith('_'):
            continue
        h, w = r['input_hw']
        lines.append(
            f"| {name} | {w}x{h} | {r['eager_step_s']} | "
            f"{r['compiled_step_s']} | {r['step_speedup']}x | "
            f"{r['compile_s']} | {r['overall_speedup']}x "
            f"(N = {r['amortised_iters']:,}) |")
    return '\n'.join(lines)


def save_results(rows: dict, args, stem: str, key: str, table: str,
                 to_docs: bool) -> dict:
    """Write ``rows`` to ``--out`` (default benchmarks/<stem>.json), print
    ``table`` and, when ``to_docs``, put it between the docs markers of
    ``key``."""
    import json
    out = Path(args.out or ROOT / 'benchmarks' / f'{stem}.json')
    out.write_text(json.dumps(rows, indent=2) + '\n')
    print(table)
    if to_docs and args.table:
        write_table(ROOT / args.table, key, table)
    print(f'wrote {out}')
    return rows


def write_table(doc: Path, key: str, table: str) -> None:
    from mmpose_hourglass_ext.utils.analysis import replace_marked_block
    replace_marked_block(doc, f'<!-- speed table {key} -->',
                         f'<!-- end speed table {key} -->', table)


def main(argv=None):
    import json

    from mmpose.utils import register_all_modules

    import mmpose_hourglass_ext  # noqa: F401
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--models', nargs='+', choices=list(MODEL_SET),
                        metavar='NAME', help='a subset of the default set')
    parser.add_argument('--configs', nargs='+', help='other configs to time '
                        '(instead of the default set)')
    parser.add_argument('--batch-size', type=int, default=4)
    parser.add_argument('--infer-batches', type=int, nargs='+',
                        default=[1, 32])
    parser.add_argument('--input-size', type=int, nargs=2,
                        metavar=('W', 'H'))
    parser.add_argument('--iters', type=int, default=3)
    parser.add_argument('--amp', choices=['fp16', 'bf16'])
    parser.add_argument('--channels-last', action='store_true')
    parser.add_argument('--compile', action='store_true',
                        help='regional compilation of every model (the '
                        'unit it repeats: utils/regional_compile.py)')
    parser.add_argument('--cuda-graphs', action='store_true',
                        help="--compile with mode='reduce-overhead' (CUDA "
                        'graphs of the compiled units; CUDA only)')
    parser.add_argument('--fold-bn', action='store_true',
                        help='fold BN into convs for inference')
    parser.add_argument('--profile', action='store_true')
    parser.add_argument('--ops-only', action='store_true',
                        help='only count the operators one batch-1 forward '
                        'dispatches per model (no timing) -> '
                        'benchmarks/ops_per_forward[_<variant>].json')
    parser.add_argument('--ops', action='store_true',
                        help='operators and kernels of one eager and one '
                        'compiled training step per model, and the compile '
                        'time -> benchmarks/ops_per_step[_<variant>].json')
    parser.add_argument('--compare-compile', action='store_true',
                        help='eager vs compiled training steps, '
                        'interleaved, compile time amortised over '
                        '--amortise iterations -> benchmarks/'
                        'compile_vs_eager_<device>[_<variant>].json')
    parser.add_argument('--amortise', type=int, default=10000,
                        metavar='ITERS')
    parser.add_argument('--warm-cache', action='store_true',
                        help="--ops/--compare-compile: let inductor's "
                        'on-disk cache serve earlier compilations (default: '
                        'cold, as a first run)')
    parser.add_argument('--reference', metavar='CHECKOUT',
                        help='also time princeton-vl/pytorch_stacked_'
                        "hourglass's PoseNet 8 x 256 from this local checkout")
    parser.add_argument('--anibali', action='store_true',
                        help="also time anibali's pytorch-stacked-hourglass "
                        'hg8 (installed in this environment only)')
    parser.add_argument('--device', default='cuda' if
                        torch.cuda.is_available() else 'cpu')
    parser.add_argument('--out', help='default benchmarks/speed_<device>'
                        '[_<variant>].json')
    parser.add_argument('--table', default='docs/benchmarks.md')
    parser.add_argument('--render', metavar='JSON', help='only rewrite the '
                        "table of an earlier run's JSON (no measuring)")
    args = parser.parse_args(argv)
    if args.cuda_graphs:
        if not args.device.startswith('cuda'):
            parser.error('--cuda-graphs needs --device cuda (CUDA graphs '
                         'record GPU kernels); on a CPU use --compile')
        args.compile = True
    if args.render:
        path = Path(args.render)
        if not path.name.startswith('speed_'):
            # its key names the docs section: any other name would append
            # a stray section
            sys.exit(f'--render {path}: not a speed JSON (they are named '
                     'benchmarks/speed_<device>[_<variant>].json)')
        try:
            results = json.loads(path.read_text())
        except (OSError, ValueError) as err:
            sys.exit(f'--render {path}: cannot read it ({err})')
        key = path.stem[len('speed_'):]
        write_table(ROOT / args.table, key, markdown(results))
        print(markdown(results))
        return results
    register_all_modules()
    # as training does (FlushDenormalsHook): subnormal floats cost ~10x on
    # x86 CPUs
    from mmpose_hourglass_ext.utils.compat import flush_denormals
    flush_denormals()
    if args.device.startswith('cuda'):
        torch.backends.cudnn.benchmark = True
    models = ({Path(c).stem: c for c in args.configs} if args.configs else
              {k: MODEL_SET[k] for k in (args.models or MODEL_SET)})
    if args.ops_only:
        return write_ops(models, args)
    if args.ops:
        return write_ops_per_step(models, args)
    if args.compare_compile:
        return compare_compile(models, args)
    print('measuring the machine\'s peak', flush=True)
    peak = machine_peak(args.device)
    benches = []
    for name, make in all_benches(models, args):
        print(f'building {name}', flush=True)
        benches.append(make())

    for r in range(args.iters + 1):  # the first round is the warm-up
        print(f'training round {r} of {args.iters}', flush=True)
        for bench in benches:
            bench.train_step()
    for bench in benches:
        bench.train_step(timed=False)  # activation memory, untimed
        bench.net.zero_grad(set_to_none=True)
        bench.prepare_inference()
    for batch in args.infer_batches:
        inputs = {id(b): b.images(batch) for b in benches}
        for r in range(args.iters + 1):
            print(f'inference batch {batch}, round {r} of {args.iters}',
                  flush=True)
            for bench in benches:
                bench.infer(batch, inputs[id(bench)])
    results = {b.name: b.row() for b in benches}
    conv_peak = peak[peak_key(args)]['conv3x3']
    for row in results.values():
        # training runs 3 x forward multiply-adds (forward, 2 backward)
        row['train_fraction_of_conv_peak'] = round(
            row['train_GFLOPs_per_s'] / conv_peak, 3)
    if args.profile:
        print('profiling', flush=True)
        for bench in benches:
            results[bench.name]['train_profile'] = profile_step(bench)
    kind = 'cuda' if args.device.startswith('cuda') else 'cpu'
    key = kind + (f'_{variant(args)}' if variant(args) else '')
    results['_meta'] = dict(
        device=device_label(args.device), torch=torch.__version__,
        variant=variant(args), batch_size=args.batch_size,
        infer_batches=args.infer_batches, iters=args.iters,
        date=datetime.date.today().isoformat(), peak_GFLOPs_per_s=peak)
    return save_results(results, args, f'speed_{key}', key,
                        markdown(results),
                        to_docs=not args.configs and not args.reference)


if __name__ == '__main__':
    main()
