"""Make a training checkpoint publishable: keep the weights and the
metadata inference needs, drop the optimizer, schedulers and message hub,
and name the file with the first 8 hex digits of its sha256 (MMPose's
convention)::

    python tools/misc/publish_model.py work_dirs/x/iter_10000.pth \
        checkpoints/x.pth [--config CONFIG]

writes ``checkpoints/x-<sha8>.pth`` and prints its sha256.

Why not MMPose's ``tools/misc/publish_model.py``: it loads with plain
``torch.load``, which torch >= 2.6 refuses on mmengine checkpoints (numpy
arrays, HistoryBuffer). This tool reads them through the package's narrow
allowlist (``mmpose_hourglass_ext.utils.compat``) and writes a file that holds
only tensors and plain Python values, so it loads with
``torch.load(weights_only=True)`` anywhere, without this package.
With ``--config`` the weights are first checked to fit that config's model
exactly (names and shapes).
"""
import argparse
import hashlib
import os
import os.path as osp
import sys

import numpy as np
import torch

import mmpose_hourglass_ext  # noqa: F401  (allowlist, registers modules)
from mmpose_hourglass_ext.utils.runtime import (check_checkpoint_fits,
                                          read_checkpoint_state)

# meta entries kept: provenance and what MMPose's init_model reads
META_KEYS = ('dataset_meta', 'cfg', 'epoch', 'iter', 'seed',
             'experiment_name', 'time', 'mmengine_version')


def plain(value, where: str = 'meta'):
    """``value`` with numpy arrays and scalars turned into lists and Python
    numbers; a TypeError names anything else that is not plain data."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {k: plain(v, f'{where}[{k!r}]') for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(plain(v, f'{where}[{i}]')
                           for i, v in enumerate(value))
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f'{where} holds a {type(value).__name__}, which a '
                    'weights_only checkpoint cannot carry')


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            digest.update(chunk)
    return digest.hexdigest()


def publish(src: str, out: str, config: str = None) -> str:
    """Write the published checkpoint and return its final path."""
    state = read_checkpoint_state(src)  # errors name the file
    if config is not None:
        from mmengine.config import Config
        from mmpose.registry import MODELS
        from mmpose.utils import register_all_modules
        register_all_modules()
        model = MODELS.build(Config.fromfile(config).model)
        check_checkpoint_fits(model, src, config)
    checkpoint = torch.load(src, map_location='cpu')
    meta = checkpoint.get('meta') or {}
    published = dict(
        state_dict={k: v.detach().clone().contiguous()
                    for k, v in state.items()},
        meta=plain({k: meta[k] for k in META_KEYS if k in meta}))
    if not out.endswith('.pth'):
        raise ValueError(f'output {out} must end with .pth')
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    tmp = out + '.partial'
    torch.save(published, tmp)
    sha = sha256_of(tmp)
    final = f'{out[:-len(".pth")]}-{sha[:8]}.pth'
    os.replace(tmp, final)
    return final


def main(argv=None):
    parser = argparse.ArgumentParser(
        description='Strip a training checkpoint for publishing')
    parser.add_argument('in_file', help='checkpoint written by tools/train.py')
    parser.add_argument('out_file', help='output .pth; -<sha256[:8]> is '
                        'added before .pth')
    parser.add_argument('--config', help='check the weights fit this '
                        "config's model before publishing")
    args = parser.parse_args(argv)
    try:
        final = publish(args.in_file, args.out_file, args.config)
    except (ValueError, TypeError, FileNotFoundError) as err:
        sys.exit(f'publish_model: {err}')
    size = osp.getsize(final) / 2**20
    print(f'{final}  ({size:.2f} MiB)\nsha256 {sha256_of(final)}')
    return final


if __name__ == '__main__':
    main()
