"""Regional compilation (utils/regional_compile.py): one compiled graph per
repeated unit, shared by every stack; compiled and eager agree in outputs
and gradients; CUDA graphs refuse where they cannot run."""
from unittest import mock

import pytest
import torch

import mmpose_hourglass_ext  # noqa: F401
from conftest import FAMILY_FOLDERS, load_tool, tiny_config
from mmpose_hourglass_ext.utils.regional_compile import compile_regions


def build(family: str):
    from mmengine.config import Config
    from mmpose.registry import MODELS
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(tiny_config(family)).model)
    model.train()
    return model


def step(model, x):
    """Forward of backbone + head (every stage's output), a loss on all of
    them, backward: what a training step differentiates."""
    outs = model.head.forward(model.extract_feat(x))
    flat = list(outs) if isinstance(outs, (list, tuple)) else [outs]
    loss = sum((o.float() ** 2).mean() for o in flat)
    loss.backward()
    return [o.detach() for o in flat]


def grads(model):
    return {n: p.grad.clone() for n, p in model.named_parameters()
            if p.grad is not None}


@pytest.mark.parametrize('family', FAMILY_FOLDERS)
def test_one_graph_serves_every_stack(family):
    """dynamo's frame count: every stack's call of the repeated unit reuses
    one compiled graph (no recompilation per stack), in forward and
    backward, and a second step compiles nothing new."""
    from torch._dynamo.testing import CompileCounter
    torch._dynamo.reset()
    model = build(family)
    stacks = model.backbone.num_outputs
    assert stacks > 1 or family == 'soft_gated_hourglass'  # its tiny is 1
    counter = CompileCounter()
    what = compile_regions(model, backend=counter)
    assert f'({stacks} ' in what
    x = torch.randn(2, 3, 64, 64)
    step(model, x)
    assert counter.frame_count == 1
    step(model, x)
    assert counter.frame_count == 1


@pytest.mark.parametrize('family', FAMILY_FOLDERS)
def test_compiled_matches_eager(family):
    """aot_eager: dynamo's capture and AOTAutograd's forward/backward
    split, without code generation (inductor itself is torch's to test;
    one family runs through it below)."""
    torch._dynamo.reset()
    x = torch.randn(2, 3, 64, 64)
    eager = build(family)
    compiled = build(family)
    compile_regions(compiled, backend='aot_eager')
    outs_e, outs_c = step(eager, x), step(compiled, x)
    for a, b in zip(outs_e, outs_c):
        torch.testing.assert_close(b, a, rtol=1e-5, atol=1e-6)
    ge, gc = grads(eager), grads(compiled)
    assert ge.keys() == gc.keys()
    for name in ge:
        torch.testing.assert_close(gc[name], ge[name], rtol=1e-4, atol=1e-6,
                                   msg=name)
    # in place: checkpoint keys do not change
    assert eager.state_dict().keys() == compiled.state_dict().keys()


def test_inductor_matches_eager_on_the_baseline():
    """The real compiler (inductor's generated C++), Newell's tiny model:
    outputs and gradients within float32 tolerance of eager."""
    torch._dynamo.reset()
    x = torch.randn(2, 3, 64, 64)
    eager, compiled = build('stacked_hourglass'), build('stacked_hourglass')
    compile_regions(compiled)
    outs_e, outs_c = step(eager, x), step(compiled, x)
    for a, b in zip(outs_e, outs_c):
        torch.testing.assert_close(b, a, rtol=1e-4, atol=1e-5)
    ge, gc = grads(eager), grads(compiled)
    for name in ge:
        torch.testing.assert_close(gc[name], ge[name], rtol=1e-3, atol=1e-5,
                                   msg=name)


def test_whole_backbone_scope_and_unknown_scope():
    model = build('stacked_hourglass')
    with pytest.raises(ValueError, match="'repeated' or 'backbone'"):
        compile_regions(model, scope='stacks')
    what = compile_regions(model, scope='backbone', backend='eager')
    assert what.endswith('backbone (StackedHourglass, whole)')


def test_mmpose_models_compile_their_units():
    """MMPose's HourglassNet: one graph for its hourglass modules; its
    ResNet (SimpleBaseline), where nothing repeats: the whole backbone, one
    graph (not one per Bottleneck shape)."""
    from mmpose.models.backbones import HourglassNet, ResNet
    from torch._dynamo.testing import CompileCounter
    for backbone, expected in ((HourglassNet(
            downsample_times=2, num_stacks=2, stage_channels=(256, 64, 64),
            stage_blocks=(1, 1, 1), feat_channel=64),
            'hourglass_modules (2 x HourglassModule)'),
            (ResNet(depth=18), 'backbone (ResNet, whole)')):
        torch._dynamo.reset()
        model = torch.nn.Module()
        model.backbone = backbone
        counter = CompileCounter()
        assert compile_regions(model, backend=counter).endswith(expected)
        out = model.backbone(torch.randn(1, 3, 64, 64))
        sum(o.sum() for o in out).backward()
        assert counter.frame_count == 1, expected


def train_args(**overrides):
    args = dict(config=tiny_config('stacked_hourglass'), cfg_options=None,
                work_dir='/tmp/unused-cuda-graphs', local_rank=0,
                no_validate=False, amp=None, channels_last=False,
                compile=False, cuda_graphs=True, resume=None,
                overwrite=False, auto_scale_lr=False, launcher='none',
                fast_mode='off', show=False, show_dir=None, interval=1,
                wait_time=1)
    args.update(overrides)
    return mock.Mock(**args)


def test_cuda_graphs_refuse_without_a_gpu():
    tool = load_tool('tools/train.py')
    with mock.patch('torch.cuda.is_available', return_value=False):
        with pytest.raises(SystemExit, match='need a CUDA GPU.*use --compile'):
            tool.build_cfg(train_args())


def test_cuda_graphs_refuse_a_variable_last_batch():
    tool = load_tool('tools/train.py')
    with mock.patch('torch.cuda.is_available', return_value=True):
        with pytest.raises(SystemExit, match='train_dataloader.drop_last'):
            tool.build_cfg(train_args(
                cfg_options={'train_dataloader.drop_last': False}))
        cfg = tool.build_cfg(train_args(
            cfg_options={'train_dataloader.drop_last': True}))
    assert dict(type='CompileBackboneHook',
                mode='reduce-overhead') in cfg.custom_hooks


@pytest.mark.slow
def test_compile_hook_through_the_runner_logs_graphs(lsp_root, tmp_path):
    """--compile in a real run: trains, logs what it compiled and the
    graphs of the first iteration (aot_eager: the capture without the C++
    compiler's minutes)."""
    from mmengine.config import Config
    from mmengine.runner import Runner
    torch._dynamo.reset()
    cfg = Config.fromfile(tiny_config('stacked_hourglass'))
    cfg.work_dir = str(tmp_path)
    cfg.custom_hooks = list(cfg.get('custom_hooks', [])) + [
        dict(type='CompileBackboneHook', backend='aot_eager')]
    runner = Runner.from_cfg(cfg)
    runner.train()
    log = next(tmp_path.rglob('*.log')).read_text()
    assert 'backbone.hourglasses (' in log
    assert 'first iteration' in log and '1 graph(s) compiled' in log
