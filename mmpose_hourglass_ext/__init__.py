"""Stacked-hourglass models, datasets and metrics for MMPose 1.x.

Importing the package registers everything into MMPose's own registries
(``mmpose.registry``), so configs only need
``custom_imports = dict(imports=['mmpose_hourglass_ext'])``.
It also lets torch>=2.6 resume mmengine checkpoints and lets configs name
the shipped ones as ``mmpose_hourglass_ext::<folder>/<config>.py`` (see
``utils/compat.py``).
"""
from .utils import compat
from . import registry  # noqa: F401  (the config scope, see registry.py)
from .codecs import *  # noqa: F401,F403
from .datasets import *  # noqa: F401,F403
from .engine import *  # noqa: F401,F403
from .evaluation import *  # noqa: F401,F403
from .models import *  # noqa: F401,F403
from .version import __version__  # noqa: F401

compat.allow_mmengine_checkpoints()
compat.register_config_scope()
