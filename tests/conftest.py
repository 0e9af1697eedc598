"""Shared test helpers: where the data is, and how to run our tools."""
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from mmpose_hourglass_ext.models.families import (BY_BACKBONE, BY_FOLDER,
                                                   FAMILIES)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / 'data'
# every family of the package's one list, by config folder
FAMILY_FOLDERS = tuple(family.folder for family in FAMILIES)


def published_models() -> list:
    """``[(config, weights, metafile, entry)]`` of every model the model
    index publishes weights for (at most two shipped checkpoints)."""
    import yaml
    found = []
    for metafile in sorted((ROOT / 'configs').glob('*/metafile.yml')):
        for entry in yaml.safe_load(metafile.read_text()).get('Models', []):
            if entry.get('Weights'):
                found.append((ROOT / entry['Config'], ROOT / entry['Weights'],
                              metafile, entry))
    return found


def shipped_lsp_model() -> tuple:
    """``(config, weights)`` of the shipped model with LSP's 14 joints (the
    demo's default)."""
    lsp = [(c, w) for c, w, _, _ in published_models()
           if 'to-mpii' not in c.name]
    assert len(lsp) == 1, f'one shipped LSP-joint model, found {lsp}'
    return lsp[0]


def tiny_config(family: str) -> str:
    """The family's tiny LSP config (``tests/configs/<folder>_tiny_lsp-
    64x64.py``); ``family`` is its config folder or its backbone type."""
    folder = (BY_BACKBONE[family].folder if family in BY_BACKBONE else
              BY_FOLDER[family].folder)
    return str(ROOT / 'tests' / 'configs' / f'{folder}_tiny_lsp-64x64.py')


TINY_CONFIG = Path(tiny_config('stacked_hourglass'))


def require_data(name: str) -> Path:
    """Path of ``data/<name>``; skips when absent, but fails under CI=true
    (CI links ../shared/data in, so a missing dataset is a broken set-up)."""
    path = DATA / name
    if not path.exists():
        msg = (f'{path} is missing: link the dataset there, e.g. '
               f'ln -s ../../shared/data/{name} data/{name} (docs/datasets.md)')
        if os.environ.get('CI', '').lower() == 'true':
            pytest.fail(msg)
        pytest.skip(msg)
    return path


@pytest.fixture(scope='session', autouse=True)
def mmpose_scope():
    """Build transforms, models and metrics from MMPose's registries, as
    the runner does with ``default_scope='mmpose'``."""
    from mmpose.utils import register_all_modules
    register_all_modules(init_default_scope=True)


@pytest.fixture(scope='session')
def lsp_root() -> Path:
    return require_data('lsp')


@pytest.fixture(scope='session')
def lspet_root() -> Path:
    return require_data('lspet_sample')


def run(cmd, timeout=600, env=None, cwd=ROOT) -> str:
    """Run a command (list) and return its output; fail with the output's
    tail when it exits non-zero."""
    full_env = dict(os.environ, PYTHONPATH=str(ROOT / 'tests'))
    full_env.update(env or {})
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=full_env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=timeout)
    if proc.returncode != 0:
        pytest.fail(f'{" ".join(map(str, cmd))} exited {proc.returncode}:\n'
                    f'{proc.stdout[-6000:]}')
    return proc.stdout


def python_tool(script, *args, **kwargs) -> str:
    """Run ``python <script> args`` with this interpreter."""
    return run([sys.executable, script, *args], **kwargs)


def run_in_process(capfd, script, *args) -> str:
    """Run ``python <script> args`` in this process (a new interpreter per
    run costs its torch/MMPose imports, seconds each) and return what it
    printed. For runs that must succeed; a tool that exits fails the test
    with its output."""
    argv = sys.argv
    sys.argv = [str(script), *map(str, args)]
    try:
        runpy.run_path(str(script), run_name='__main__')
    except SystemExit as err:
        if err.code not in (0, None):
            out, errors = capfd.readouterr()
            pytest.fail(f'{script} exited {err.code}:\n'
                        f'{(out + errors)[-6000:]}')
    finally:
        sys.argv = argv
    out, errors = capfd.readouterr()
    return out + errors


def fails(*args, **kwargs) -> str:
    """Output of a ``python_tool`` run that must exit non-zero."""
    with pytest.raises(pytest.fail.Exception) as err:
        python_tool(*args, **kwargs)
    return str(err.value)


# Where each dataset type finds the real samples of ../shared/data, and what
# its configs must change to read them (the samples hold one split only).
SAMPLE_DATA = {
    'LspDataset': ('lsp', lambda ds, train: dict(indices=4)),
    'MpiiDataset': ('mpii_sample', lambda ds, train: dict(
        data_root='data/mpii_sample/', ann_file='annotations/mpii_val.json',
        **({} if train else dict(
            headbox_file='data/mpii_sample/annotations/mpii_gt_val.mat')))),
    'LspetDataset': ('lspet_sample', lambda ds, train: dict(
        data_root='data/lspet_sample/', indices=4)),
    'CocoDataset': ('coco_sample', lambda ds, train: dict(
        data_root='data/coco_sample/',
        ann_file='annotations/person_keypoints_train2017.json',
        data_prefix=dict(img='train2017/'))),
}


# Every family, small, two stages (the drop-in tests' backbones)
SMALL_BACKBONES = {
    'StackedHourglass': dict(num_stacks=2, channels=16,
                             stem_channels=(8, 16)),
    'SoftGatedHourglass': dict(num_stacks=2, channels=16,
                               stem_channels=(8, 16)),
    'MultiScaleStackedHourglass': dict(num_stacks=2, channels=16,
                                       stem_channels=(8, 16)),
    'DenseStackedHourglass': dict(num_stacks=2, channels=16,
                                  stem_channels=(8, 16)),
    'ResidualStackedHourglass': dict(num_stacks=2, channels=16,
                                     stem_channels=(8, 16)),
    'ResNetMultiStage': dict(depths=(50, 50), channels=16, base_channels=4,
                             prediction_link='input'),
}


# Small widths for the hourglass-family configs on CPU (explicit arguments
# override a soft-gated preset)
SMALL_MODEL = dict(
    backbone=dict(num_stacks=2, channels=16, stem_channels=(8, 16)),
    head=dict(num_stages=2))


def config_on_samples(cfg, work_dir, model_overrides=None):
    """Shrink ``cfg`` to one short epoch on the real data samples, batch 2,
    no workers, with ``model_overrides`` merged into ``cfg.model`` (small
    widths for CPU), and testing on the same samples."""
    from mmengine.config import ConfigDict
    loaders = dict(num_workers=0, persistent_workers=False, batch_size=2)
    cfg.train_dataloader.update(loaders)
    # one finite epoch (an InfiniteSampler would never end it)
    cfg.train_dataloader.sampler = dict(type='DefaultSampler', shuffle=True)
    train_set = cfg.train_dataloader.dataset
    for dataset in (train_set.datasets if train_set.type == 'ConcatDataset'
                    else [train_set]):
        folder, overrides = SAMPLE_DATA[dataset.type]
        require_data(folder)
        dataset.update(overrides(dataset.type, True))
        dataset.setdefault('indices', 4)
    cfg.test_dataloader = ConfigDict(cfg.val_dataloader)
    cfg.test_dataloader.update(loaders)
    test_type = cfg.test_dataloader.dataset.type
    cfg.test_dataloader.dataset.update(SAMPLE_DATA[test_type][1](test_type,
                                                                 False))
    evaluators = cfg.test_evaluator
    for evaluator in (evaluators if isinstance(evaluators, list) else
                      [evaluators]):
        if evaluator.type == 'CocoMetric':
            evaluator.ann_file = (
                'data/coco_sample/annotations/person_keypoints_train2017.json')
    cfg.val_dataloader = cfg.val_evaluator = cfg.val_cfg = None
    cfg.train_cfg = dict(by_epoch=True, max_epochs=1)
    cfg.param_scheduler = []
    cfg.default_hooks.checkpoint = dict(type='SafeCheckpointHook', interval=1,
                                        save_best=None)
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=1)
    cfg.merge_from_dict(dict(model=model_overrides or {}))
    # fine-tuning configs start from a converted checkpoint of a model at
    # full width; tests/test_tools/test_convert_keypoints.py covers them
    cfg.load_from = None
    cfg.work_dir = str(work_dir)
    return cfg


def load_tool(relpath: str):
    """A tools/ script as a module (faster than a subprocess per call)."""
    import importlib.util
    path = ROOT / relpath
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
