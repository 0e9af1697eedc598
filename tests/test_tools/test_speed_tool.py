"""tools/analysis/speed.py's bookkeeping (its timings are benchmarks, not
tests): the operator count that tells a launch-bound model on a GPU, and
the table it renders."""
import json

import torch
import torch.nn as nn

from conftest import ROOT, TINY_CONFIG, load_tool, python_tool


def test_count_ops_counts_each_dispatched_operator():
    speed = load_tool('tools/analysis/speed.py')
    x = torch.randn(1, 3, 8, 8)
    relus = nn.Sequential(*[nn.ReLU() for _ in range(5)])
    assert speed.count_ops(lambda: relus(x)) == 5
    conv = nn.Conv2d(3, 4, 3)
    with torch.no_grad():
        assert speed.count_ops(lambda: relus(conv(x))) == \
            speed.count_ops(lambda: conv(x)) + 5


def test_ops_only_writes_the_count_and_the_table_shows_it(tmp_path):
    out = tmp_path / 'ops.json'
    python_tool(ROOT / 'tools/analysis/speed.py', '--device', 'cpu',
                '--ops-only', '--configs', TINY_CONFIG, '--out', out)
    ops = json.loads(out.read_text())
    assert ops[TINY_CONFIG.stem] > 10 and ops['_meta']['variant'] == 'fp32'

    speed = load_tool('tools/analysis/speed.py')
    old = json.loads((ROOT / 'benchmarks/speed_cpu.json').read_text())
    assert 'ops / forward' not in speed.markdown(old)  # rows without it
    for row in (r for k, r in old.items() if not k.startswith('_')):
        row['ops_per_forward'] = 1730
    table = speed.markdown(old)
    assert 'ops / forward |' in table
    header, rule, first = table.splitlines()[2:5]
    assert header.count('|') == rule.count('|') == first.count('|')
    assert first.endswith(' 1730 |')


def test_render_refuses_a_json_that_is_not_a_speed_run(tmp_path):
    """Rendering zoo_lsp_cpu.json appended a stray table to the docs."""
    from conftest import fails
    table = tmp_path / 'bench.md'
    table.write_text('# Benchmarks\n')
    other = tmp_path / 'zoo_lsp_cpu.json'
    other.write_text('{}')
    message = fails(ROOT / 'tools/analysis/speed.py', '--render', other,
                    '--table', table)
    assert 'not a speed JSON' in message
    assert table.read_text() == '# Benchmarks\n'
    broken = tmp_path / 'speed_cpu.json'
    broken.write_text('{"a": ')
    assert 'cannot read it' in fails(ROOT / 'tools/analysis/speed.py',
                                     '--render', broken, '--table', table)
