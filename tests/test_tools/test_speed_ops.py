"""Operators and kernels per training step (utils/kernel_count.py,
``tools/analysis/speed.py --ops``): counts that follow the model, are the
same on every run, and show what compilation fuses; the CUDA-graph mode
refuses a CPU."""
import json

import pytest
import torch

import mmpose_hourglass_ext  # noqa: F401
from conftest import load_tool, tiny_config
from mmpose_hourglass_ext.utils.kernel_count import (count_aten_ops,
                                                     count_launches,
                                                     name_cpu_kernels)
from mmpose_hourglass_ext.utils.regional_compile import compile_regions


def tiny_step():
    from mmengine.config import Config
    from mmpose.registry import MODELS
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(
        tiny_config('stacked_hourglass')).model)
    model.train()
    x = torch.randn(2, 3, 64, 64)

    def step():
        model.zero_grad(set_to_none=True)
        outs = model.head.forward(model.extract_feat(x))
        sum((o ** 2).mean() for o in outs).backward()
    return model, step


def test_aten_ops_count_each_convolution_twice():
    """Each conv the forward calls is one aten convolution forward and one
    convolution_backward: the count follows the model."""
    model, step = tiny_step()
    calls = []
    for m in model.modules():
        if isinstance(m, torch.nn.Conv2d):
            m.register_forward_hook(lambda *_: calls.append(1))
    counts = count_aten_ops(step)
    assert counts['conv'] == 2 * len(calls) > 0
    assert counts['total'] == counts['conv'] + counts['other']
    assert counts == count_aten_ops(step)  # the same on every step


def test_compiled_step_keeps_the_convolutions_and_fuses_the_rest():
    torch._dynamo.reset()
    name_cpu_kernels()
    model, step = tiny_step()
    step()
    eager = count_launches(step)
    assert eager['generated'] == 0 and eager['conv'] > 0
    compile_regions(model)
    step()  # compiles
    compiled = count_launches(step)
    assert compiled == count_launches(step)  # reproducible
    assert compiled['conv'] == eager['conv']  # fixed by the architecture
    assert compiled['generated'] > 0
    assert compiled['total'] < eager['total']


def test_speed_tool_ops_writes_json_and_table(tmp_path):
    tool = load_tool('tools/analysis/speed.py')
    out = tmp_path / 'ops.json'
    doc = tmp_path / 'bench.md'
    doc.write_text('')
    torch._dynamo.reset()
    rows = tool.main(['--ops', '--configs', tiny_config('stacked_hourglass'),
                      '--batch-size', '2', '--out', str(out),
                      '--table', str(doc)])
    saved = json.loads(out.read_text())
    name = 'stacked_hourglass_tiny_lsp-64x64'
    assert saved[name] == json.loads(json.dumps(rows[name]))
    row = saved[name]
    assert row['eager_aten_ops']['conv'] == row['eager_kernels']['conv']
    assert row['compiled_kernels']['total'] < row['eager_kernels']['total']
    assert row['compiled_graphs'] == 1 and row['compile_s'] > 0
    assert 'backbone.hourglasses (2 x Hourglass)' in row['compiled']
    table = tool.ops_markdown(saved)
    assert f"| {name} | {row['eager_aten_ops']['total']} (" in table
    assert doc.read_text() == ''  # --configs runs never touch the docs


def test_speed_tool_cuda_graphs_refuse_a_cpu(capsys):
    tool = load_tool('tools/analysis/speed.py')
    with pytest.raises(SystemExit):
        tool.main(['--cuda-graphs', '--device', 'cpu'])
    assert 'needs --device cuda' in capsys.readouterr().err
