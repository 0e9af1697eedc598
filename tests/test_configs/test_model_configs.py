"""Every model config builds its full model and trains + tests a few
iterations (with small widths) on the real data samples."""
import math
from pathlib import Path

import pytest
from mmengine.config import Config
from mmengine.runner import Runner
from mmpose.registry import MODELS

from conftest import ROOT, config_on_samples

FAMILIES = ('stacked_hourglass', 'soft_gated_hourglass')
CONFIGS = sorted(p for family in FAMILIES
                 for p in (ROOT / 'configs' / family).rglob('*.py'))
# LSP: 14 joints, MPII: 16, COCO: 17
KEYPOINTS = {'lsp': 14, 'mpii': 16, 'coco': 17}
METRIC = {'lsp': 'PCK@0.2/Total', 'mpii': 'PCK', 'coco': 'coco/AP'}
SMALL = dict(backbone=dict(num_stacks=2, channels=16, stem_channels=(8, 16)),
             head=dict(num_stages=2))


def dataset_of(path: Path) -> str:
    return path.stem.split('_')[-1].split('-')[0]


@pytest.mark.parametrize('family', FAMILIES)
def test_there_is_a_config_per_dataset(family):
    assert {dataset_of(p) for p in CONFIGS
            if p.is_relative_to(ROOT / 'configs' / family)} == set(KEYPOINTS)


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: p.stem)
def test_config_builds_the_full_model(path):
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'mmpose'
    assert 'mmpose_hourglass_ext' in cfg.custom_imports.imports
    model = MODELS.build(cfg.model)
    k = KEYPOINTS[dataset_of(path)]
    assert model.backbone.num_keypoints == k
    assert model.head.num_stages == model.backbone.num_stacks
    assert model.test_cfg['flip_test'] and model.test_cfg['shift_heatmap']
    codec = cfg.model.head.decoder
    assert tuple(codec.heatmap_size) == tuple(s // 4
                                              for s in codec.input_size)


@pytest.mark.slow
@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: p.stem)
def test_config_trains_and_tests_on_real_samples(path, tmp_path):
    cfg = config_on_samples(Config.fromfile(path), tmp_path, SMALL)
    runner = Runner.from_cfg(cfg)
    runner.train()
    loss = runner.message_hub.get_scalar('train/loss').current()
    assert math.isfinite(loss) and loss > 0
    metrics = runner.test()
    assert METRIC[dataset_of(path)] in metrics
