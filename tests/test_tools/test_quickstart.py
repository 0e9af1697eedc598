"""The README's main job, run end to end on the tiny config: it leaves the
checkpoint, metrics, training curve and skeleton picture in its work dir."""
import json

import pytest

from conftest import ROOT, TINY_CONFIG, load_tool, python_tool

QUICKSTART = ROOT / 'tools' / 'quickstart.py'


def load_quickstart():
    return load_tool('tools/quickstart.py')


def test_missing_lsp_says_how_to_get_it(tmp_path):
    with pytest.raises(SystemExit) as exc:
        load_quickstart().check_lsp(tmp_path / 'lsp')
    message = str(exc.value)
    assert 'data/lsp is missing' in message
    assert 'joints.mat' in message and 'lsp.html' in message


@pytest.mark.slow
def test_quickstart_writes_all_its_outputs(lsp_root, tmp_path):
    out = python_tool(QUICKSTART, TINY_CONFIG, '--work-dir', tmp_path)
    assert 'PCK@0.2' in out
    metrics = json.loads((tmp_path / 'metrics.json').read_text())
    assert {'PCK@0.2/Head', 'PCK@0.2/Ankle', 'PCK@0.2/Total',
            'train_seconds'} <= set(metrics)
    assert (tmp_path / 'iter_4.pth').is_file()
    from PIL import Image
    curve = Image.open(tmp_path / 'training_curve.png')
    skeletons = Image.open(tmp_path / 'predictions.png')
    assert curve.size[0] > 100
    assert skeletons.size[1] == 240 and skeletons.size[0] > 3 * 100
