"""Overfit check on real data: 8 LSP images are learned to PCK@0.2 >= 90%
through MMPose's runner (targets, flip test and decoding agree)."""
import json

import pytest

from conftest import ROOT, python_tool

pytestmark = pytest.mark.slow
CONFIG = ROOT / 'tests' / 'configs' / 'hourglass_overfit8_lsp-128x128.py'


def test_baseline_overfits_eight_lsp_images(lsp_root, tmp_path):
    out = python_tool(ROOT / 'tools/train.py', CONFIG, '--work-dir', tmp_path)
    assert 'Iter(val) [1/1]' in out
    python_tool(ROOT / 'tools/test.py', CONFIG, tmp_path / 'iter_300.pth',
                '--work-dir', tmp_path, '--out', tmp_path / 'm.json')
    metrics = json.loads((tmp_path / 'm.json').read_text())
    assert metrics['PCK@0.2/Total'] >= 0.9, metrics
