"""The model-zoo machinery end to end on one tiny entry (real LSP and LSPET
images, 4 iterations): JSON, table, README section and plots; entries with
a result are skipped; an interrupted entry resumes. Accuracy comes from
the zoo run itself, never from here."""
import json

import pytest

from conftest import ROOT, python_tool, require_data

ZOO = ROOT / 'tools' / 'analysis' / 'zoo.py'
TINY = ROOT / 'tests' / 'configs' / 'zoo_tiny_lsp+lspet-64x64.py'
NAME = TINY.stem


def zoo(tmp_path, *extra):
    return python_tool(
        ZOO, '--configs', TINY, '--work-dir', tmp_path / 'work', '--out',
        tmp_path / 'zoo.json', '--table', tmp_path / 'zoo.md', '--plots',
        tmp_path / 'plots', '--readme', tmp_path / 'README.md', *extra)


@pytest.mark.slow
def test_zoo_trains_tests_and_reports_an_entry(lsp_root, tmp_path):
    require_data('lspet')
    readme = tmp_path / 'README.md'
    readme.write_text('intro\n<!-- zoo table: written by tools/analysis/'
                      'zoo.py -->\nold\n<!-- end of zoo table -->\noutro\n')
    # an earlier run stopped after 2 of the 4 iterations
    python_tool(ROOT / 'tools' / 'train.py', TINY, '--work-dir',
                tmp_path / 'work' / NAME, '--no-validate', '--cfg-options',
                'train_cfg.max_iters=2')
    out = zoo(tmp_path)
    log = (tmp_path / 'work' / NAME / 'zoo_entry.log').read_text()
    assert '--resume' in out and 'resumed' in log.lower()
    row = json.loads((tmp_path / 'zoo.json').read_text())[NAME]
    assert row['backbone'] == 'StackedHourglass'
    assert row['iterations'] == 4 and row['batch_size'] == 4
    assert row['checkpoint'].endswith('iter_4.pth')
    assert 0 < row['params_M'] < 0.1 and row['GFLOPs'] > 0
    assert row['train_images_per_s'] > 0 and row['infer_ms_per_image'] > 0
    assert 0 <= row['metrics']['PCK@0.2/Total'] <= 1
    assert 'PCP@0.5/Total' in row['metrics']
    assert [step for step, _ in row['loss_curve']] == [1, 2, 3, 4]
    table = (tmp_path / 'zoo.md').read_text()
    assert 'zoo_tiny' in table and 'PCK@0.2 Total' in table
    text = readme.read_text()
    assert text.startswith('intro\n') and text.endswith('outro\n')
    assert 'old' not in text and 'zoo_tiny' in text
    from PIL import Image
    for name in ('pck_vs_params', 'pck_vs_train_time', 'training_loss'):
        assert Image.open(tmp_path / 'plots' / f'{name}.png').size[0] > 300
    # a second run skips the entry that has its result
    again = zoo(tmp_path)
    assert 'skipped' in again and 'train.py' not in again


def test_unknown_entry_is_named(tmp_path):
    with pytest.raises(pytest.fail.Exception) as exc:
        python_tool(ZOO, '--configs', TINY, '--only', 'nope', '--out',
                    tmp_path / 'z.json')
    assert 'no entry named' in str(exc.value)
