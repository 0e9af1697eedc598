"""A config of the user's, in a folder outside the repository, built on
ours through the package scope (``mmpose_hourglass_ext::``): mmengine
stamps that scope on every dict of the base, and the model, datasets,
metrics and hooks must still build, train and test (registry.py)."""
import sys

import pytest

from conftest import ROOT, require_data, run

BASE = 'td-hm_sghg2-64_1xb16-10000it_lsp+lspet-128x128'


@pytest.fixture
def user_folder(tmp_path):
    require_data('lsp'), require_data('lspet')
    (tmp_path / 'data').symlink_to(ROOT / 'data')
    (tmp_path / 'mine.py').write_text(
        f"_base_ = ['mmpose_hourglass_ext::zoo/{BASE}.py']\n"
        'model = dict(backbone=dict(channels=32))\n')
    return tmp_path


def test_scope_stamped_dicts_resolve_through_mmposes_registries():
    from mmengine.registry import DefaultScope

    import mmpose_hourglass_ext.registry as ours
    from mmpose.registry import MODELS
    with DefaultScope.overwrite_default_scope('mmpose_hourglass_ext'):
        with MODELS.switch_scope_and_registry(
                'mmpose_hourglass_ext') as registry:
            assert registry is ours.MODELS
            assert registry.get('TopdownPoseEstimator') is MODELS.get(
                'TopdownPoseEstimator')
    # nothing of ours is registered twice: the children are empty
    assert not ours.MODELS.module_dict and not ours.DATASETS.module_dict


@pytest.mark.slow
def test_scope_config_trains_tests_and_builds_outside_the_repo(user_folder):
    work = user_folder / 'work'
    run([sys.executable, ROOT / 'tools' / 'train.py', 'mine.py',
         '--work-dir', work, '--no-validate', '--cfg-options',
         'train_cfg.max_iters=2'], cwd=user_folder)
    out = run([sys.executable, ROOT / 'tools' / 'test.py', 'mine.py',
               work / 'iter_2.pth', '--work-dir', work / 'test',
               '--cfg-options', 'test_dataloader.dataset.indices=4'],
              cwd=user_folder)
    assert 'PCK@0.2/Total' in out
    out = run([sys.executable, '-c',
               'import mmpose_hourglass_ext\n'
               'from mmpose.apis import init_model\n'
               "m = init_model('mine.py', 'work/iter_2.pth', device='cpu')\n"
               'print(type(m.backbone).__name__, m.backbone.channels)'],
              cwd=user_folder)
    assert 'SoftGatedHourglass 32' in out
