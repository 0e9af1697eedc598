"""Each paper's model trains a few iterations on real LSP images through
our tools/train.py and is tested by tools/test.py (small presets)."""
import json
import math

import pytest
import torch

import mmpose_hourglass_ext  # noqa: F401  (lets torch.load read checkpoints)

from conftest import ROOT, python_tool, tiny_config

pytestmark = pytest.mark.slow
# backbone: (config, a parameter name only that paper's model has)
VARIANTS = {
    'SoftGatedHourglass': (tiny_config('SoftGatedHourglass'),
                           '.alpha'),
    'DenseStackedHourglass': (tiny_config('DenseStackedHourglass'),
                              '.dense_fusions.'),
    # the highways add no parameters: check the fifth stack and the second
    # module per branch instead
    'ResidualStackedHourglass': (
        tiny_config('ResidualStackedHourglass'),
        'hourglasses.4.skip.1.'),
    'MultiScaleStackedHourglass': (tiny_config('MultiScaleStackedHourglass'),
                                   '.pre_processing.'),
    'ResNetMultiStage': (
        tiny_config('ResNetMultiStage'),
        '.tocks.'),
}


@pytest.mark.parametrize('backbone', list(VARIANTS))
def test_variant_trains_and_tests_on_lsp(backbone, lsp_root, tmp_path):
    config, own_parameter = VARIANTS[backbone]
    out = python_tool(ROOT / 'tools/train.py', config,
                      '--work-dir', tmp_path)
    assert 'Iter(train) [4/4]' in out
    losses = [float(line.split('loss: ')[1].split()[0])
              for line in out.splitlines() if 'Iter(train)' in line]
    assert len(losses) == 4 and all(math.isfinite(v) for v in losses)
    ckpt = tmp_path / 'iter_4.pth'
    state = torch.load(ckpt, map_location='cpu')['state_dict']
    assert any(key.startswith('backbone.') and own_parameter in key
               for key in state)
    if backbone == 'MultiScaleStackedHourglass':  # the weight logger's file
        lines = next(tmp_path.glob('*/adaptive_weights.jsonl')).read_text()
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
    python_tool(ROOT / 'tools/test.py', config, ckpt, '--work-dir', tmp_path)
    metrics = json.loads((tmp_path / 'iter_4_metrics.json').read_text())
    assert 0 <= metrics['PCK@0.2/Total'] <= 1
