"""The package registers into MMPose's own registries without collisions;
its one list of families (models/families.py) is what everything reads."""
import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import mmpose.registry as registry
from mmengine.registry import Registry

import mmpose_hourglass_ext
from conftest import ROOT, SMALL_BACKBONES, tiny_config
from mmpose_hourglass_ext.models.families import FAMILIES

LIST_NAMES = '''
import json, sys
import mmpose.codecs, mmpose.datasets, mmpose.engine, mmpose.evaluation
import mmpose.models, mmpose.visualization
import mmpose.registry as r
from mmengine.registry import Registry
if sys.argv[1] == 'ours':
    import mmpose_hourglass_ext
print(json.dumps({k: sorted(getattr(r, k).module_dict) for k in dir(r)
                  if isinstance(getattr(r, k), Registry)}))
'''


def registry_names(with_ours: bool) -> dict:
    out = subprocess.run(
        [sys.executable, '-c', LIST_NAMES, 'ours' if with_ours else 'mmpose'],
        check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def registered_by_us() -> dict:
    """{registry name: names whose class lives in this package}, read from
    MMPose's registries themselves (no hand-kept list)."""
    found = {}
    for reg_name in dir(registry):
        reg = getattr(registry, reg_name)
        if isinstance(reg, Registry):
            names = {name for name, cls in reg.module_dict.items()
                     if cls.__module__.startswith('mmpose_hourglass_ext.')}
            if names:
                found[reg_name] = names
    return found


def exported_names() -> set:
    """Every name in the ``__all__`` of the package's subpackages."""
    names = set()
    for info in pkgutil.walk_packages(mmpose_hourglass_ext.__path__,
                                      'mmpose_hourglass_ext.'):
        if info.ispkg:
            names |= set(getattr(importlib.import_module(info.name),
                                 '__all__', ()))
    return names


def test_every_family_is_registered_exported_and_has_a_tiny_config():
    ours = registered_by_us()
    for family in FAMILIES:
        assert family.backbone in ours['MODELS'], family.backbone
        assert Path(tiny_config(family.folder)).is_file()
        assert (ROOT / 'configs' / family.folder).is_dir()
        assert (ROOT / family.paper_config).is_file()
    assert set(SMALL_BACKBONES) == {f.backbone for f in FAMILIES}


def test_registered_modules_are_exported_by_their_subpackage():
    ours = registered_by_us()
    assert {'MODELS', 'DATASETS', 'METRICS', 'HOOKS', 'KEYPOINT_CODECS',
            'TRANSFORMS', 'OPTIM_WRAPPERS'} <= set(ours)
    missing = set().union(*ours.values()) - exported_names()
    assert not missing, f'registered but not in any __all__: {missing}'


def test_names_do_not_collide_with_mmpose():
    before, after = registry_names(False), registry_names(True)
    for reg_name, names in registered_by_us().items():
        added = set(after[reg_name]) - set(before[reg_name])
        assert names <= added, (
            f'{names - added} already exist in MMPose\'s {reg_name}')


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
    root = Path(mmpose_hourglass_ext.__file__).parent
    modules = sorted(p.name for p in root.glob('*.py'))
    # registry.py: the config scope's registries, where MMPose keeps its own
    assert modules == ['__init__.py', 'registry.py', 'version.py']
