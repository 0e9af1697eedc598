"""Registries for the ``mmpose_hourglass_ext`` config scope.

Everything of this package registers into MMPose's own registries
(``mmpose.registry``), where MMPose's tools find it. A config that builds
on ours through the package scope (``_base_ =
['mmpose_hourglass_ext::zoo/<config>.py']``) gets ``_scope_ =
'mmpose_hourglass_ext'`` stamped on every dict of that base by mmengine,
which then imports ``mmpose_hourglass_ext.registry`` and looks for a
registry of that scope in each registry tree. Without one it falls back
to mmengine's root registries and fails (``TopdownPoseEstimator is not in
the mmengine::model registry``). So each of MMPose's registries gets an
empty child of that scope here: a lookup in it finds nothing of its own
and answers from MMPose's registry (its parent), so nothing is registered
twice.
"""
from mmengine.registry import Registry
from mmpose import registry as mmpose_registry

SCOPE = 'mmpose_hourglass_ext'


def _children() -> dict:
    # locations: what importing this scope registers (else mmengine asks
    # for a ``utils.register_all_modules``)
    return {name: Registry(parent.name, parent=parent, scope=SCOPE,
                           locations=[SCOPE])
            for name, parent in vars(mmpose_registry).items()
            if isinstance(parent, Registry)}


globals().update(_children())
