"""Every model config builds its full model; one config per run signature
(configs that differ only in size share one) trains + tests a few
iterations (with small widths) on the real data samples."""
import json
import math
from pathlib import Path

import pytest
from mmengine.config import Config
from mmengine.runner import Runner
from mmpose.registry import MODELS

from conftest import FAMILY_FOLDERS as FAMILIES
from conftest import ROOT, SMALL_MODEL, config_on_samples
CONFIGS = sorted(p for family in FAMILIES
                 for p in (ROOT / 'configs' / family).rglob('*.py'))
# LSP: 14 joints, MPII: 16, COCO: 17
KEYPOINTS = {'lsp': 14, 'mpii': 16, 'coco': 17}
METRIC = {'lsp': 'PCK@0.2/Total', 'mpii': 'PCK', 'coco': 'coco/AP'}


def small(cfg) -> dict:
    """SMALL_MODEL, plus the stage count of a loss that needs it; a narrow
    ResNet with the config's stage count for ResNetMultiStage; narrow
    stacks, as many as the per-stack targets, for the MSSH configs."""
    if cfg.model.backbone.get('stack_strides'):
        return dict(backbone=dict(channels=16, stem_channels=(8, 16)))
    if cfg.model.backbone.type == 'ResNetMultiStage':
        stages = len(cfg.model.backbone.depths)
        return dict(backbone=dict(depths=(50, ) * stages, base_channels=8,
                                  channels=16))
    if 'num_stages' in cfg.model.head.loss:
        return dict(SMALL_MODEL,
                    head=dict(num_stages=2, loss=dict(num_stages=2)))
    return SMALL_MODEL


# configs of papers that test without flip and quarter-pixel shift: the
# DC-hourglass paper's set-up (Sec. 4) and its Table 1 baseline
PAPER_TEST_PROTOCOL_WITHOUT_FLIP = {
    p.stem for p in (ROOT / 'configs' / 'dense_hourglass').glob(
        '*1xb20-200e*.py')}


# training sets whose configs test on LSP
TESTED_ON_LSP = ('lsp+lspet', 'mpii2lsp')


def dataset_of(path: Path) -> str:
    """The dataset a config tests on, from its name."""
    name = path.stem.split('_')[-1].split('-')[0]
    return 'lsp' if name in TESTED_ON_LSP else name


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
    stacks = getattr(model.backbone, 'num_stacks', None) or \
        model.backbone.num_stages
    assert model.head.num_stages == stacks
    if hasattr(model.head.loss_module, 'num_stages'):  # adaptive weights
        assert model.head.loss_module.num_stages == model.head.num_stages
    if path.stem in PAPER_TEST_PROTOCOL_WITHOUT_FLIP:
        # as the paper says: no flip test, no quarter-pixel shift
        assert not model.test_cfg['flip_test']
        assert cfg.model.head.decoder.type == 'SecondMaxHeatmap'
        assert cfg.model.head.decoder.max_weight == 1.0  # plain argmax
    else:
        assert model.test_cfg['flip_test'] and model.test_cfg['shift_heatmap']
    codec = cfg.model.head.decoder
    assert tuple(codec.heatmap_size) == tuple(s // 4
                                              for s in codec.input_size)


# settings that only size the model: configs that differ in nothing else
# run the same code once shrunk to SMALL_MODEL (their full-size models are
# built by test_config_builds_the_full_model)
SIZE_ONLY = {'channels', 'stem_channels', 'base_channels', 'depths',
             'num_stacks', 'preset', 'num_keypoints', 'in_channels',
             'out_channels', 'num_stages', 'encoder_checkpoints', 'init_cfg'}


def run_signature(path: Path) -> str:
    """What a shrunk training + test run of the config exercises: model,
    datasets with their pipelines, optimizer, hooks and evaluator, without
    the settings that only size the model."""
    def strip(d):
        if isinstance(d, dict):
            return {k: strip(v) for k, v in d.items() if k not in SIZE_ONLY}
        if isinstance(d, (list, tuple)):
            return [strip(v) for v in d]
        return d
    cfg = Config.fromfile(path)
    cfg = config_on_samples(cfg, '/nonexistent', small(cfg))
    return json.dumps(strip(dict(
        model=cfg.model, train=cfg.train_dataloader.dataset,
        test=cfg.test_dataloader.dataset, optim=cfg.optim_wrapper,
        hooks=cfg.get('custom_hooks', []), metric=cfg.test_evaluator)),
        sort_keys=True, default=str)


def representatives() -> list:
    """One config per run signature (the first by name)."""
    seen = {}
    for path in CONFIGS:
        seen.setdefault(run_signature(path), path)
    return sorted(seen.values())


@pytest.mark.slow
@pytest.mark.parametrize('path', representatives(), ids=lambda p: p.stem)
def test_config_trains_and_tests_on_real_samples(path, tmp_path):
    cfg = Config.fromfile(path)
    cfg = config_on_samples(cfg, tmp_path, small(cfg))
    runner = Runner.from_cfg(cfg)
    runner.train()
    loss = runner.message_hub.get_scalar('train/loss').current()
    assert math.isfinite(loss) and loss > 0
    metrics = runner.test()
    assert METRIC[dataset_of(path)] in metrics


def test_soft_gated_ablations_change_one_choice_each():
    from mmpose_hourglass_ext.utils.analysis import count_params
    folder = ROOT / 'configs' / 'soft_gated_hourglass' / 'ablation'
    choices, params = set(), {}
    for path in folder.glob('*.py'):
        cfg = Config.fromfile(path)
        backbone = cfg.model.backbone
        assert backbone.preset == 'tab4-3.4M'  # Tables II/IV: 2 x 128
        assert cfg.model.head.num_stages == 2
        choices.add((backbone.gate, backbone.fusion))
        params[(backbone.gate, backbone.fusion)] = count_params(
            MODELS.build(backbone))
    assert choices == {('none', 'concat'), ('scalar', 'concat'),
                       ('fixed', 'concat'), ('channel', 'concat'),
                       ('channel', 'add'), ('channel', 'grouped')}
    # Table IV compares the fusions at one budget: within 3% of concat's
    budget = params[('channel', 'concat')]
    assert budget == pytest.approx(3.436e6, rel=0.01)
    for fusion in ('add', 'grouped'):
        assert params[('channel', fusion)] == pytest.approx(budget, rel=0.03)


def test_soft_gated_mpii_config_follows_the_papers_recipe():
    cfg = Config.fromfile(ROOT / 'configs' / 'soft_gated_hourglass' /
                          'td-hm_sghg4-144_1xb24-200e_mpii-256x256.py')
    assert cfg.optim_wrapper.optimizer == dict(type='RMSprop', lr=2.5e-4,
                                               weight_decay=0.)
    assert cfg.param_scheduler[0].milestones == [75, 100, 150]
    assert cfg.train_cfg.max_epochs == 200
    assert cfg.train_dataloader.batch_size == 24
    steps = {t.type: t for t in cfg.train_dataloader.dataset.pipeline}
    assert steps['RandomBBoxTransform'].rotate_factor == 30
    assert tuple(steps['RandomBBoxTransform'].scale_factor) == (0.75, 1.25)
    assert 'RandomFlip' in steps and 'PhotometricDistortion' in steps
    assert cfg.model.test_cfg.flip_test


def test_dense_hourglass_configs_have_both_recipes():
    folder = ROOT / 'configs' / 'dense_hourglass'
    paper = [Config.fromfile(p) for p in folder.glob('*dchg*1xb20-200e*.py')]
    standard = [Config.fromfile(p) for p in folder.glob('*8xb32-210e*.py')]
    assert len(paper) == len(standard) == 3
    for cfg in paper:
        assert cfg.optim_wrapper.optimizer == dict(type='Adam', lr=1e-4,
                                                   betas=(0.1, 0.99))
        assert cfg.train_dataloader.batch_size == 20
        assert cfg.model.head.loss.type == 'KeypointMSELoss'
    for cfg in paper + standard:
        assert cfg.model.backbone.type == 'DenseStackedHourglass'
        assert cfg.model.backbone.fusion == 'concat'
    # Table 1's baseline: the plain hourglass under the same recipe and
    # test protocol, nothing else changed
    baseline = Config.fromfile(
        folder / 'td-hm_hourglass8-256_1xb20-200e-dc-recipe_mpii-256x256.py')
    dense = Config.fromfile(
        folder / 'td-hm_dchg8-256_1xb20-200e_mpii-256x256.py')
    assert baseline.model.backbone.type == 'StackedHourglass'
    assert baseline.model.backbone.num_stacks == 8
    for key in ('optim_wrapper', 'param_scheduler', 'train_cfg',
                'train_dataloader', 'test_dataloader'):
        assert baseline[key] == dense[key]
    assert baseline.model.head == dense.model.head
    assert baseline.model.test_cfg == dense.model.test_cfg


@pytest.mark.parametrize('path', sorted(
    (ROOT / 'configs' / 'residual_stacked_hourglass').glob('*.py')),
    ids=lambda p: p.stem)
def test_residual_stacked_hourglass_configs_follow_the_poster(path):
    cfg = Config.fromfile(path)
    assert cfg.optim_wrapper.optimizer.type == 'RMSprop'
    assert cfg.optim_wrapper.optimizer.lr == 2.5e-4
    assert cfg.model.head.loss.type == 'KeypointMSELoss'
    assert cfg.model.backbone.num_stacks == cfg.model.head.num_stages == 5
    boxes = [t for t in cfg.train_dataloader.dataset.pipeline
             if t.type == 'RandomBBoxTransform']
    assert len(boxes) == 1
    assert (boxes[0].shift_factor, boxes[0].shift_prob) == (0.02, 1.0)
    assert tuple(boxes[0].scale_factor) == (0.7, 1.3)
    assert boxes[0].rotate_factor == 40


def test_mssh_mpii_config_follows_the_papers_recipe():
    cfg = Config.fromfile(ROOT / 'configs' / 'multi_scale_hourglass' /
                          'td-hm_mssh8-256_1xb4-220e_mpii-256x256.py')
    assert cfg.optim_wrapper.optimizer == dict(type='RMSprop', lr=2.5e-4,
                                               weight_decay=0.)
    assert cfg.param_scheduler[0].milestones == [175, 200]
    assert cfg.train_cfg.max_epochs == 220
    assert cfg.train_dataloader.batch_size == 4
    backbone = cfg.model.backbone
    assert (backbone.num_stacks, backbone.channels) == (8, 256)
    assert tuple(backbone.scale_strides) == (8, 4, 2)  # 32/64/128 px
    assert (backbone.block, backbone.fusion, backbone.lateral) == (
        'inception_a', 'add', False)
    assert cfg.model.head.loss.type == 'AdaptiveWeightedMSELoss'
    assert cfg.model.head.loss.adaptive
    assert cfg.model.head.loss.normalisation == 'share'
    # per-stack targets: sigma grows with the stride of the stack's map
    # (32 px maps: 2 sqrt(4) = 4, 64 px: 2 sqrt(2), 128 px: 2)
    assert cfg.model.head.type == 'MultiStageHeatmapHead'
    target = next(t for t in cfg.train_dataloader.dataset.pipeline
                  if t.type == 'GenerateTarget')
    assert target.multilevel
    assert [round(c.sigma, 3) for c in target.encoder] == [
        4.0, 4.0, 4.0, 2.828, 2.828, 2.828, 2.0, 2.0]
    assert cfg.model.head.decoder.sigma == 2.0
    steps = {t.type for t in cfg.train_dataloader.dataset.pipeline}
    assert {'RandomFlip', 'RandomBBoxTransform',
            'PhotometricDistortion'} <= steps
    assert 'AdaptiveWeightLoggerHook' in [h.type for h in cfg.custom_hooks]


def test_mssh_ablations_change_one_choice_each():
    base = Config.fromfile(ROOT / 'configs' / 'multi_scale_hourglass' /
                           'td-hm_mssh8-256_1xb4-220e_mpii-256x256.py')
    folder = ROOT / 'configs' / 'multi_scale_hourglass' / 'ablation'
    changes = set()
    for path in folder.glob('td-hm_mssh*.py'):
        cfg = Config.fromfile(path)
        diff = {k: v for k, v in cfg.model.backbone.items()
                if base.model.backbone[k] != v}
        if cfg.model.head.loss.adaptive != base.model.head.loss.adaptive:
            diff['adaptive'] = cfg.model.head.loss.adaptive
        assert len(diff) == 1, (path.name, diff)
        changes.add(next(iter(diff.items())))
    assert changes == {('adaptive', False), ('fusion', 'concat'),
                       ('lateral', True), ('block', 'inception_b'),
                       ('block', 'residual')}


def test_resnet_multi_stage_configs_cover_the_papers_tables():
    folder = ROOT / 'configs' / 'resnet_multi_stage'
    found = {}
    for path in folder.glob('*_mpii-256x256.py'):
        cfg = Config.fromfile(path)
        target = [t for t in cfg.train_dataloader.dataset.pipeline
                  if t.type == 'GenerateTarget'][0]
        sigmas = tuple(c.sigma for c in target.encoder)
        depths = tuple(cfg.model.backbone.depths)
        assert len(sigmas) == len(depths) == cfg.model.head.num_stages
        assert cfg.model.head.decoder.sigma == sigmas[-1]
        found[depths, sigmas] = path.name
    # Table 1 (trained with the single kernel, sigma 3): single R50/R101/
    # R152, double R50+R50, R101+R50, R152+R50, triple R101+50+50; Table 2:
    # multi-sigma (arithmetic, ends at 2) vs sigma 3; the quad stage of
    # Tables 3 and 5 with its series, for the stage-growth tool
    assert set(found) == {
        ((50, ), (2, )), ((101, ), (2, )), ((152, ), (2, )),
        ((50, ), (3, )), ((101, ), (3, )), ((152, ), (3, )),
        ((50, 50), (3, 3)), ((101, 50), (3, 3)), ((152, 50), (3, 3)),
        ((101, 50), (3, 2)), ((101, 50, 50), (3, 2.5, 2)),
        ((101, 50, 50), (3, 3, 3)),
        ((101, 50, 50, 50), (3, 8 / 3, 7 / 3, 2))}


def test_mssh_paper_baseline_is_a_plain_hourglass_with_the_mssh_recipe():
    folder = ROOT / 'configs' / 'multi_scale_hourglass'
    mssh = Config.fromfile(folder / 'td-hm_mssh8-256_1xb4-220e_mpii-256x256.py')
    plain = Config.fromfile(folder / 'ablation' /
                            'td-hm_hourglass8-256-mssh-recipe_1xb4-220e_'
                            'mpii-256x256.py')
    assert plain.model.backbone.type == 'StackedHourglass'
    assert (plain.model.backbone.num_stacks,
            plain.model.backbone.channels) == (8, 256)
    assert plain.model.head.loss.type == 'KeypointMSELoss'
    for key in ('optim_wrapper', 'param_scheduler', 'train_cfg',
                'test_dataloader'):
        assert plain[key] == mssh[key]
    assert plain.train_dataloader.batch_size == 4
    steps = [t.type for t in plain.train_dataloader.dataset.pipeline]
    assert steps == [t.type for t in mssh.train_dataloader.dataset.pipeline]
