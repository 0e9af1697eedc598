"""torch>=2.6 (weights_only=True) can load what mmengine writes, and nothing
more dangerous."""
import io
import pickle

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer, MessageHub

import mmpose_hourglass_ext  # noqa: F401  (installs the allowlist)


def roundtrip(obj):
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    return torch.load(buf)  # weights_only=True is torch 2.13's default


def test_mmengine_checkpoint_content_loads_with_weights_only():
    hub = MessageHub('compat-test')
    hub.update_scalar('train/loss', 0.5)
    hub.update_scalar('train/loss', 0.25)
    ckpt = {
        'meta': {'dataset_meta': {'sigmas': np.arange(3, dtype=np.float32),
                                  'flip': np.int64(2)}},
        'message_hub': hub.state_dict(),
        'state_dict': {'w': torch.ones(2)},
    }
    loaded = roundtrip(ckpt)
    assert loaded['message_hub']['log_scalars']['train/loss'].mean() == 0.375
    np.testing.assert_array_equal(loaded['meta']['dataset_meta']['sigmas'],
                                  np.arange(3, dtype=np.float32))
    assert isinstance(loaded['message_hub']['log_scalars']['train/loss'],
                      HistoryBuffer)


class Evil:
    """Pickles as ``getattr(HistoryBuffer, '__init__')``: the first step of
    a hostile checkpoint walking to ``__globals__`` and on to ``os.system``."""

    def __reduce__(self):
        return getattr, (HistoryBuffer, '__init__')


def test_getattr_stand_in_refuses_other_attributes():
    buf = io.BytesIO()
    pickle.dump({'x': Evil()}, buf, protocol=2)
    buf.seek(0)
    with pytest.raises((pickle.UnpicklingError, AttributeError),
                       match='does not allow'):
        torch.load(buf)


FLUSH_CHECK = """
import torch
from mmpose_hourglass_ext.engine import FlushDenormalsHook
tiny = torch.tensor([1e-39], dtype=torch.float32)  # subnormal in float32
before = (tiny * 1.0).item()
FlushDenormalsHook().before_run(runner=None)
print(before > 0.0, (tiny * 1.0).item() == 0.0)
"""


def test_flush_denormals_hook_flushes_subnormals_on_cpu():
    """In a fresh process: the float state is process-wide, and runs made
    in this test process (compiled kernels, other hooks) may have set it."""
    import subprocess
    import sys
    out = subprocess.run([sys.executable, '-c', FLUSH_CHECK], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    # kept before the hook, flushed to zero after it
    assert out.split()[-2:] == ['True', 'True']
