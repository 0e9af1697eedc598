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


ZOO_CONFIGS = sorted((ROOT / 'configs' / 'zoo').glob('*.py'))


def test_zoo_entries_share_one_protocol_and_one_budget():
    """Same data, iterations, batch, optimizer, schedule and test set;
    parameters within 15% of the baseline's; one entry per family, with
    each family's mechanism active (links that span stacks)."""
    from mmengine.config import Config
    from mmpose.registry import MODELS

    from mmpose_hourglass_ext.analysis import count_params
    cfgs = {p.stem: Config.fromfile(p) for p in ZOO_CONFIGS}
    base = cfgs['td-hm_hourglass2-64_1xb16-1000it_lsp+lspet-128x128']
    baseline = count_params(MODELS.build(base.model.backbone))
    families = set()
    for name, cfg in cfgs.items():
        for key in ('train_cfg', 'optim_wrapper', 'param_scheduler',
                    'test_dataloader', 'test_evaluator'):
            assert cfg[key] == base[key], (name, key)
        loader = cfg.train_dataloader
        assert loader.batch_size == 16
        assert [d.type for d in loader.dataset.datasets] == [
            'LspDataset', 'LspetDataset']
        assert cfg.model.test_cfg.flip_test
        assert tuple(cfg.model.head.decoder.input_size) == (128, 128)
        backbone = MODELS.build(cfg.model.backbone)
        assert count_params(backbone) == pytest.approx(baseline, rel=0.15)
        families.add(cfg.model.backbone.type)
        stacks = getattr(backbone, 'num_stacks', None)
        if cfg.model.backbone.type == 'DenseStackedHourglass':
            assert stacks >= 3  # a stack that reads two earlier ones
        if cfg.model.backbone.type == 'ResidualStackedHourglass':
            assert stacks == 5 and backbone.highways
        if cfg.model.backbone.type == 'MultiScaleStackedHourglass':
            assert len(set(backbone.stack_strides)) == 3  # all scales used
        if cfg.model.backbone.type == 'ResNetMultiStage':
            assert backbone.num_stages == 2
    assert families == {'StackedHourglass', 'SoftGatedHourglass',
                        'MultiScaleStackedHourglass', 'DenseStackedHourglass',
                        'ResidualStackedHourglass', 'ResNetMultiStage'}
