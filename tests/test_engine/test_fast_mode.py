"""Fast CPU training: bf16 autocast (CPUAmpOptimWrapper) + channels-last,
chosen automatically from torch's bf16 capability checks for the
package's recipes, forced either way by a flag; checkpoints stay float32.
"""
import json
import re
from unittest import mock

import pytest
import torch

from conftest import (FAMILY_FOLDERS, ROOT, load_tool, python_tool,
                      tiny_config)
from mmpose_hourglass_ext.utils import fast_mode



def train_tool():
    return load_tool('tools/train.py')


@pytest.mark.parametrize('native', [True, False])
def test_auto_follows_the_cpus_bf16_capability(native):
    with mock.patch.object(torch.cpu, '_is_avx512_bf16_supported',
                           return_value=native), \
            mock.patch.object(torch.cpu, '_is_amx_tile_supported',
                              return_value=False):
        mode = fast_mode.choose_fast_mode('auto', on_gpu=False)
    if native:
        assert (mode.amp, mode.channels_last) == ('bf16', True)
        assert 'runs bf16 natively (AVX512-BF16)' in mode.describe()
    else:
        assert (mode.amp, mode.channels_last) == (None, False)
        assert 'no native bf16' in mode.reason
        assert 'about twice as long' in mode.reason


def test_flags_force_either_mode_and_gpus_keep_their_amp():
    assert fast_mode.choose_fast_mode('on', on_gpu=False)[:2] == ('bf16',
                                                                   True)
    assert fast_mode.choose_fast_mode('off', on_gpu=False)[:2] == (None,
                                                                   False)
    assert fast_mode.choose_fast_mode('auto', on_gpu=True)[:2] == (None,
                                                                   False)
    explicit = fast_mode.choose_fast_mode('off', amp='bf16', on_gpu=False)
    assert explicit[:2] == ('bf16', False)
    with pytest.raises(ValueError, match='fast_mode must be one of'):
        fast_mode.choose_fast_mode('fast')


def test_recipes_ask_for_the_automatic_choice():
    from mmengine.config import Config
    for config in sorted((ROOT / 'configs' / 'zoo').glob('*.py')) + [
            ROOT / 'configs/soft_gated_hourglass/'
            'td-hm_sghg2-64_dark-1xb16-2700it_lsp+lspet-128x128.py']:
        assert Config.fromfile(config).get('fast_mode') == 'auto', config


def test_cpu_amp_wrapper_runs_forward_in_bf16_and_refuses_fp16():
    from mmpose_hourglass_ext.engine import CPUAmpOptimWrapper
    model = torch.nn.Conv2d(3, 4, 3)
    wrapper = CPUAmpOptimWrapper(
        optimizer=torch.optim.SGD(model.parameters(), lr=0.1))
    with wrapper.optim_context(model):
        out = model(torch.randn(1, 3, 8, 8))
    assert out.dtype == torch.bfloat16
    assert model.weight.dtype == torch.float32
    with pytest.raises(ValueError, match='CPU mixed precision is bf16 only'):
        CPUAmpOptimWrapper(dtype='float16', optimizer=torch.optim.SGD(
            model.parameters(), lr=0.1))


def test_mmpose_heads_on_features_give_float32_under_the_cpu_wrapper():
    """MMPose's HeatmapHead turns its output into numpy for the accuracy,
    which fails on bfloat16: the wrapper hands it float32."""
    from mmpose.registry import MODELS

    from mmpose_hourglass_ext.engine import CPUAmpOptimWrapper
    codec = dict(type='MSRAHeatmap', input_size=(64, 64),
                 heatmap_size=(16, 16), sigma=2)
    model = MODELS.build(dict(
        type='TopdownPoseEstimator',
        backbone=dict(type='StackedHourglass', num_stacks=1, channels=16,
                      stem_channels=(8, 16), depth=2, out='features'),
        head=dict(type='HeatmapHead', in_channels=16, out_channels=16,
                  deconv_out_channels=None, decoder=codec,
                  loss=dict(type='KeypointMSELoss'))))
    wrapper = CPUAmpOptimWrapper(
        optimizer=torch.optim.SGD(model.parameters(), lr=0.1))
    with wrapper.optim_context(model):
        feats = model.extract_feat(torch.randn(1, 3, 64, 64))
        out = model.head(feats)
    assert feats[-1].dtype == torch.bfloat16 and out.dtype == torch.float32


def test_train_tool_sets_the_cpu_wrapper_and_says_why(capsys):
    tool = train_tool()
    args = mock.Mock(config=tiny_config('StackedHourglass'),
                     cfg_options=None, work_dir='/tmp/unused-fast-mode',
                     local_rank=0, no_validate=False, amp=None,
                     channels_last=False, compile=False, cuda_graphs=False,
                     resume=None,
                     overwrite=False, auto_scale_lr=False, launcher='none',
                     fast_mode='on',
                     show=False, show_dir=None, interval=1, wait_time=1)
    with mock.patch('torch.cuda.is_available', return_value=False):
        cfg = tool.build_cfg(args)
    assert cfg.optim_wrapper.type == 'CPUAmpOptimWrapper'
    assert dict(type='ChannelsLastHook') in cfg.custom_hooks
    assert capsys.readouterr().out.startswith(
        '[train.py] training in bf16 autocast + channels-last: fast_mode is '
        'on')
    args.fast_mode = 'off'
    with mock.patch('torch.cuda.is_available', return_value=False):
        cfg = tool.build_cfg(args)
    assert cfg.optim_wrapper.get('type', 'OptimWrapper') == 'OptimWrapper'
    assert 'float32 + NCHW' in capsys.readouterr().out


# a parameter only that paper's model has (the residual highways add none:
# the fifth stack and the second module per branch instead)
OWN_PARAMETER = {
    'soft_gated_hourglass': '.alpha',
    'dense_hourglass': '.dense_fusions.',
    'residual_stacked_hourglass': 'hourglasses.4.skip.1.',
    'multi_scale_hourglass': '.pre_processing.',
    'resnet_multi_stage': '.tocks.',
}


@pytest.mark.slow
@pytest.mark.parametrize('family', FAMILY_FOLDERS)
def test_every_family_trains_in_bf16_on_cpu_through_the_runner(
        family, tmp_path, lsp_root):
    """Each paper's model, a few iterations on real LSP through our
    tools/train.py in the fast mode, then tools/test.py: finite losses,
    the paper's own parameters, a float32 standard-layout checkpoint that
    loads strictly into an fp32 model, a PCK."""
    from mmengine.config import Config
    from mmpose.apis import init_model
    config = tiny_config(family)
    out = python_tool(ROOT / 'tools/train.py', config, '--work-dir',
                      tmp_path, '--fast-mode', 'on', '--no-validate',
                      '--cfg-options', 'train_cfg.max_iters=4',
                      'default_hooks.logger.interval=1')
    assert '[train.py] training in bf16 autocast + channels-last' in out
    records = [json.loads(line) for line in next(
        tmp_path.glob('*/vis_data/scalars.json')).read_text().splitlines()]
    losses = [r['loss'] for r in records if 'loss' in r]
    assert len(losses) == 4 and all(0 < v < 1 for v in losses)
    ckpt_path = tmp_path / 'iter_4.pth'
    ckpt = torch.load(ckpt_path, map_location='cpu', weights_only=False)
    state = ckpt['state_dict']
    assert {v.dtype for v in state.values() if v.is_floating_point()} == {
        torch.float32}
    assert all(v.is_contiguous() for v in state.values())
    if family in OWN_PARAMETER:
        assert any(key.startswith('backbone.') and OWN_PARAMETER[family] in
                   key for key in state)
    if family == 'multi_scale_hourglass':  # the weight logger's file
        check_adaptive_weight_log(tmp_path, out)
    cfg = Config.fromfile(config)
    model = init_model(cfg, str(ckpt_path), device='cpu')
    assert re.search(r'CPUAmpOptimWrapper', ckpt['meta']['cfg'])
    assert next(model.parameters()).dtype == torch.float32
    python_tool(ROOT / 'tools/test.py', config, ckpt_path, '--work-dir',
                tmp_path)
    metrics = json.loads((tmp_path / 'iter_4_metrics.json').read_text())
    assert 0 <= metrics['PCK@0.2/Total'] <= 1


def check_adaptive_weight_log(work_dir, out):
    lines = next(work_dir.glob('*/adaptive_weights.jsonl')).read_text()
    logged = [json.loads(line) for line in lines.splitlines()]
    assert [entry['iter'] for entry in logged] == [2, 4]
    weights = torch.tensor(logged[-1]['weights'])
    assert weights.shape == (3, 14)  # stacks x LSP keypoints
    assert torch.allclose(weights.sum(1), torch.ones(3), atol=1e-3)
    assert logged[-1]['keypoints'][-1] == 'head_top'
    # one beta_j and no-update share per stage update (3 stacks: 2)
    assert len(logged[-1]['beta']) == len(logged[-1]['no_update']) == 2
    assert all(0 < b <= 1 for b in logged[-1]['beta'])
    assert 'adaptive keypoint weights' in out


@pytest.mark.slow
@pytest.mark.parametrize('peer', ['mmpose-res18-b16', 'mmpose-hrnet-w12',
                                  'mmpose-hourglassnet1-32',
                                  'mmpose-rtmpose-c192'])
def test_mmposes_own_heads_train_in_the_fast_mode(peer, tmp_path, lsp_root):
    """MMPose's HeatmapHead/CPMHead/RTMCCHead on MMPose's backbones (the
    zoo's peers): their ``loss()`` calls ``self.forward`` and turns the bf16
    predictions into numpy for the accuracy, so the wrapper must hand
    them over in float32."""
    from conftest import require_data
    require_data('lspet')
    config, = (ROOT / 'configs/zoo').glob(
        f'td-*_{peer}_1xb16-10000it_lsp+lspet-128x128.py')
    out = python_tool(ROOT / 'tools/train.py', config, '--work-dir',
                      tmp_path, '--fast-mode', 'on', '--no-validate',
                      '--cfg-options', 'train_cfg.max_iters=2',
                      'default_hooks.logger.interval=1')
    assert '[train.py] training in bf16 autocast + channels-last' in out
    assert 'Iter(train) [2/2]' in out


def no_native_bf16():
    return mock.patch.multiple(torch.cpu,
                               _is_avx512_bf16_supported=lambda: False,
                               _is_amx_tile_supported=lambda: False)


def test_auto_compiles_long_float32_cpu_runs_only():
    """'auto' compiles where it was measured to pay: float32 on a CPU, runs
    of AUTO_COMPILE_ITERS iterations or more; never in bf16 (unmeasured),
    on a GPU, for short runs or when the mode is not 'auto'."""
    long_run = fast_mode.AUTO_COMPILE_ITERS
    with no_native_bf16():
        mode = fast_mode.choose_fast_mode('auto', on_gpu=False,
                                          iters=long_run)
        assert mode.compile and 'float32 + NCHW + compiled' in (
            mode.describe())
        assert not fast_mode.choose_fast_mode(
            'auto', on_gpu=False, iters=long_run - 1).compile
        assert not fast_mode.choose_fast_mode('auto', on_gpu=False).compile
        assert not fast_mode.choose_fast_mode(
            'off', on_gpu=False, iters=long_run).compile
        assert not fast_mode.choose_fast_mode(
            'auto', on_gpu=True, iters=long_run).compile
    with mock.patch.object(torch.cpu, '_is_avx512_bf16_supported',
                           return_value=True):
        assert not fast_mode.choose_fast_mode(
            'auto', on_gpu=False, iters=long_run).compile


def test_train_tool_compiles_a_zoo_recipe_on_a_float32_cpu(capsys):
    """The zoo's 10,000-iteration recipes compile on a CPU without native
    bf16 (CompileBackboneHook); a config's compile=False opts out, and
    says so; a shortened run does not compile."""
    tool = train_tool()
    zoo = ROOT / 'configs/zoo/td-hm_sghg2-64_1xb16-10000it_lsp+lspet-128x128.py'

    def hooks(cfg_options):
        args = mock.Mock(config=str(zoo), cfg_options=cfg_options,
                         work_dir='/tmp/unused-auto-compile', local_rank=0,
                         no_validate=False, amp=None, channels_last=False,
                         compile=False, cuda_graphs=False, resume=None,
                         overwrite=False, auto_scale_lr=False,
                         launcher='none', fast_mode=None, show=False,
                         show_dir=None, interval=1, wait_time=1)
        with no_native_bf16(), mock.patch('torch.cuda.is_available',
                                           return_value=False):
            cfg = tool.build_cfg(args)
        return [h['type'] for h in cfg.custom_hooks], capsys.readouterr().out

    types, out = hooks(None)
    assert 'CompileBackboneHook' in types
    assert 'float32 + NCHW + compiled' in out and '10,000 iterations' in out
    types, out = hooks({'compile': False})
    assert 'CompileBackboneHook' not in types
    assert 'not compiled: the config sets compile=False' in out
    types, _ = hooks({'train_cfg.max_iters': 100})
    assert 'CompileBackboneHook' not in types
