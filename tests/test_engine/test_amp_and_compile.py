"""What GPU training uses, checked on CPU: mixed precision through
mmengine's AmpOptimWrapper (bf16; fp16 autocast steps), torch.compile,
the channels-last layout, cudnn_benchmark in the runtime config."""
import math
from unittest import mock

import pytest
import torch

import mmpose_hourglass_ext  # noqa: F401
from conftest import FAMILY_FOLDERS, load_tool, tiny_config

FAMILIES = FAMILY_FOLDERS



def build(family: str):
    from mmengine.config import Config
    from mmpose.registry import MODELS
    torch.manual_seed(0)
    return MODELS.build(Config.fromfile(tiny_config(family)).model)


def stage_outputs(model, x):
    outs = model.head.forward(model.extract_feat(x))
    flat = []
    stack = [outs]
    while stack:
        item = stack.pop(0)
        if isinstance(item, torch.Tensor):
            flat.append(item)
        else:
            stack[:0] = list(item)
    return flat


def runner_for(family, tmp_path, **overrides):
    """A 4-iteration run of the family's tiny config on real LSP images."""
    from mmengine.config import Config
    from mmengine.runner import Runner
    cfg = Config.fromfile(tiny_config(family))
    cfg.work_dir = str(tmp_path)
    cfg.merge_from_dict(overrides)
    return Runner.from_cfg(cfg)


def logged_losses(runner):
    history = runner.message_hub.get_scalar('train/loss')
    return [float(v) for v in history.data[0]]


@pytest.mark.slow
@pytest.mark.parametrize('family', FAMILIES)
def test_bf16_amp_optim_wrapper_trains_every_family(family, lsp_root,
                                                    tmp_path):
    """tools/train.py --amp bf16 = AmpOptimWrapper(dtype='bfloat16').
    mmengine refuses it without a GPU; with that check patched it runs on
    CPU exactly as on GPU (GradScaler disables itself without CUDA)."""
    import mmengine.optim.optimizer.amp_optimizer_wrapper as amp
    with mock.patch.object(amp, 'is_cuda_available', return_value=True):
        runner = runner_for(family, tmp_path, optim_wrapper=dict(
            type='AmpOptimWrapper', dtype='bfloat16', loss_scale='dynamic'))
        dtypes = set()
        first_conv = next(m for m in runner.model.modules()
                          if isinstance(m, torch.nn.Conv2d))
        first_conv.register_forward_hook(
            lambda mod, inp, out: dtypes.add(out.dtype))
        runner.train()
    losses = logged_losses(runner)
    assert len(losses) == 4 and all(math.isfinite(v) for v in losses)
    assert torch.bfloat16 in dtypes  # the convs really ran in bf16
    assert all(torch.isfinite(p).all() for p in runner.model.parameters())


@pytest.mark.parametrize('family', FAMILIES)
def test_fp16_autocast_step_is_finite(family):
    """The fp16 path (--amp fp16 on GPU) on CPU autocast: the convs run in
    fp16, the heatmaps leave the backbone in float32 (MMPose's heads turn
    them into numpy), the loss and every gradient are finite."""
    model = build(family)
    model.train()
    x = torch.randn(2, 3, 64, 64)
    dtypes = set()
    for m in model.modules():
        if isinstance(m, torch.nn.Conv2d):
            m.register_forward_hook(lambda mod, i, o: dtypes.add(o.dtype))
    with torch.autocast('cpu', dtype=torch.float16):
        outs = stage_outputs(model, x)
    assert dtypes == {torch.float16}
    assert all(o.dtype == torch.float32 for o in outs)
    loss = sum(torch.nn.functional.mse_loss(o.float(), torch.rand_like(
        o, dtype=torch.float32)) for o in outs)
    loss.backward()
    assert torch.isfinite(loss)
    grads = [p.grad for p in model.parameters() if p.grad is not None]
    assert grads and all(torch.isfinite(g).all() for g in grads)


def test_train_tool_amp_option_sets_the_dtype():
    tool = load_tool('tools/train.py')
    args = mock.Mock(config=tiny_config('stacked_hourglass'), cfg_options=None,
                     work_dir='/tmp/unused-amp-check', local_rank=0,
                     no_validate=False, amp='bf16', channels_last=True,
                     compile=True, cuda_graphs=False, resume=None, overwrite=False,
                     auto_scale_lr=False, launcher='none', fast_mode=None,
                     show=False, show_dir=None, interval=1, wait_time=1)
    with mock.patch('torch.cuda.is_available', return_value=True):
        cfg = tool.build_cfg(args)
    assert cfg.optim_wrapper.type == 'AmpOptimWrapper'
    assert cfg.optim_wrapper.dtype == 'bfloat16'
    assert dict(type='ChannelsLastHook') in cfg.custom_hooks
    assert dict(type='CompileBackboneHook') in cfg.custom_hooks
    assert not cfg.compile  # not mmengine's train_step compilation
    assert cfg.env_cfg.cudnn_benchmark is True
    args.amp = 'fp16'
    with mock.patch('torch.cuda.is_available', return_value=False):
        with pytest.raises(SystemExit, match='--amp fp16 needs a CUDA GPU; '
                           'on CPU use --amp bf16'):
            tool.build_cfg(args)


@pytest.mark.parametrize('family', FAMILIES)
def test_every_family_compiles_without_changing_results(family):
    """torch.compile's graph capture (dynamo + AOTAutograd; backend
    aot_eager keeps it fast on CPU) on every family: same outputs and
    gradients as eager."""
    torch._dynamo.reset()
    model = build(family)
    model.train()
    x = torch.randn(2, 3, 64, 64)

    def step(fn):
        model.zero_grad(set_to_none=True)
        outs = fn(x)
        sum(o.square().mean() for o in outs).backward()
        return [o.detach() for o in outs], [
            p.grad.clone() for p in model.parameters() if p.grad is not None]

    with torch.random.fork_rng():
        eager_outs, eager_grads = step(lambda t: stage_outputs(model, t))
    compiled = torch.compile(lambda t: stage_outputs(model, t),
                             backend='aot_eager')
    # BN running stats moved once more in eager; outputs in train mode
    # use batch statistics, so they are comparable
    outs, grads = step(compiled)
    for a, b in zip(eager_outs, outs):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)
    assert len(grads) == len(eager_grads)
    for a, b in zip(eager_grads, grads):
        torch.testing.assert_close(a, b, rtol=1e-3, atol=1e-5)


@pytest.mark.slow
def test_mmengine_compile_and_channels_last_train(lsp_root, tmp_path):
    """--compile (CompileBackboneHook, inductor) and --channels-last
    (ChannelsLastHook) through the runner; checkpoint keys unchanged."""
    torch._dynamo.reset()
    runner = runner_for('stacked_hourglass', tmp_path, custom_hooks=[
        dict(type='SyncBuffersHook'), dict(type='StopOnNonFiniteLossHook'),
        dict(type='ChannelsLastHook'), dict(type='CompileBackboneHook')])
    runner.train()
    losses = logged_losses(runner)
    assert len(losses) == 4 and all(math.isfinite(v) for v in losses)
    conv = next(m for m in runner.model.modules()
                if isinstance(m, torch.nn.Conv2d) and m.kernel_size == (3, 3))
    assert conv.weight.is_contiguous(memory_format=torch.channels_last)
    # regional: each stack's hourglass is compiled, not the whole backbone
    assert all(hg._compiled_call_impl is not None
               for hg in runner.model.backbone.hourglasses)
    assert runner.model.backbone._compiled_call_impl is None
    state = torch.load(tmp_path / 'iter_4.pth', map_location='cpu')
    assert all('_orig_mod' not in k for k in state['state_dict'])
