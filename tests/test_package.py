"""The package registers into MMPose's own registries without collisions."""
import json
import subprocess
import sys

import mmpose.registry as registry

import mmpose_hourglass_ext  # noqa: F401

OURS = {
    'MODELS': ['StackedHourglass', 'SoftGatedHourglass',
               'DenseStackedHourglass', 'ResidualStackedHourglass',
               'MultiScaleStackedHourglass', 'AdaptiveWeightedMSELoss',
               'ResNetMultiStage', 'MultiStageHeatmapHead'],
    'KEYPOINT_CODECS': ['SecondMaxHeatmap'],
    'DATASETS': ['LspDataset', 'LspetDataset'],
    'METRICS': ['LspPCKAccuracy', 'LspPCP', 'MpiiPCKhAUC'],
    'HOOKS': ['AdaptiveWeightLoggerHook'],
}

LIST_NAMES = '''
import json, sys
import mmpose.codecs, mmpose.datasets, mmpose.engine, mmpose.evaluation
import mmpose.models, mmpose.visualization
import mmpose.registry as r
if sys.argv[1] == 'ours':
    import mmpose_hourglass_ext
print(json.dumps({k: sorted(getattr(r, k).module_dict)
                  for k in ('MODELS', 'DATASETS', 'METRICS', 'HOOKS',
                            'KEYPOINT_CODECS')}))
'''


def registry_names(with_ours: bool) -> dict:
    out = subprocess.run(
        [sys.executable, '-c', LIST_NAMES, 'ours' if with_ours else 'mmpose'],
        check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_modules_live_in_mmpose_registries():
    for reg_name, names in OURS.items():
        reg = getattr(registry, reg_name)
        for name in names:
            cls = reg.get(name)
            assert cls is not None, f'{name} not in mmpose.registry.{reg_name}'
            assert cls.__module__.startswith('mmpose_hourglass_ext.')


def test_names_do_not_collide_with_mmpose():
    before, after = registry_names(False), registry_names(True)
    for reg_name, names in OURS.items():
        added = set(after[reg_name]) - set(before[reg_name])
        assert set(names) <= added, (
            f'{set(names) - added} already exist in MMPose\'s {reg_name}')


def test_importing_the_package_leaves_float_handling_alone():
    """Flushing subnormals is opt-in (FlushDenormalsHook in the default
    runtime), not a side effect of the import."""
    code = ('import torch, mmpose_hourglass_ext\n'
            'x = torch.tensor([1e-39], dtype=torch.float32) * 1.0\n'
            'print("subnormal kept" if x.item() > 0 else "flushed")')
    out = subprocess.run([sys.executable, '-c', code], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    assert 'subnormal kept' in out


def test_package_top_level_holds_only_subpackages():
    from pathlib import Path
    root = Path(mmpose_hourglass_ext.__file__).parent
    modules = sorted(p.name for p in root.glob('*.py'))
    assert modules == ['__init__.py', 'version.py']
