"""Parameter and FLOP counts, shared by the benchmark tools and the tests
that check our models against the papers' tables."""
import json
from pathlib import Path
from typing import Tuple

import torch
import torch.nn as nn
from mmengine.analysis import get_model_complexity_info


def count_params(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def complexity(module: nn.Module, input_hw: Tuple[int, int] = (256, 256)):
    """``(params, flops)`` of ``module`` for one ``3 x H x W`` image.

    FLOPs are mmengine's count of multiply-adds, which is what the papers
    call FLOPs (Newell's 8-stack hourglass: ~27.6G at 256x256).
    """
    was_training = module.training
    module.eval()
    with torch.no_grad():
        info = get_model_complexity_info(module, input_shape=(3, *input_hw),
                                         show_table=False, show_arch=False)
    module.train(was_training)
    return info['params'], info['flops']


def config_complexity(config: str, input_size=None) -> dict:
    """Parameters (whole model and backbone) and backbone GFLOPs of a
    config's model for one image at ``input_size`` (W, H; default: the
    codec's input size)."""
    from mmengine.config import Config
    from mmpose.registry import MODELS
    from mmpose.utils import register_all_modules
    register_all_modules()
    cfg = Config.fromfile(config)
    model = MODELS.build(cfg.model)
    w, h = input_size or cfg.model.head.decoder.input_size
    params, flops = complexity(model.backbone, (h, w))
    return {
        'config': config,
        'input_hw': [h, w],
        'params_M': round(count_params(model) / 1e6, 3),
        'backbone_params_M': round(params / 1e6, 3),
        'GFLOPs': round(flops / 1e9, 2),
    }


def replace_marked_block(path, start: str, end: str, text: str,
                         append: bool = True) -> bool:
    """Put ``text`` between the marker lines ``start`` and ``end`` of the
    file at ``path`` (how the benchmark tools keep their tables in the
    docs). Without the markers the block is appended when ``append``,
    else the file is left alone; returns whether the file was written."""
    path = Path(path)
    content = path.read_text()
    block = f'{start}\n{text.rstrip(chr(10))}\n{end}'
    if start in content and end in content:
        before, rest = content.split(start, 1)
        content = before + block + rest.split(end, 1)[1]
    elif append:
        content += f'\n{block}\n'
    else:
        return False
    path.write_text(content)
    return True


def update_results(path, rows: dict) -> None:
    """Merge ``rows`` (keyed by config name) into the benchmark JSON at
    ``path``, keeping the rows of configs not measured this time."""
    path = Path(path)
    results = json.loads(path.read_text()) if path.is_file() else {}
    results.update(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, sort_keys=True) + '\n')


def machine_label() -> str:
    """``'<cores> CPU cores, <CPU model> (<native bf16 units>)'``: where a
    CPU timing was measured (sessions get different CPUs, and bf16 speed
    depends on the units)."""
    import contextlib
    import os
    import platform

    from .fast_mode import native_bf16_units
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path('/proc/cpuinfo').read_text().splitlines():
            if line.startswith('model name'):
                model = line.split(':', 1)[1].strip()
                break
    units = ' and '.join(native_bf16_units()) or 'no bf16'
    return f'{os.cpu_count()} CPU cores, {model} ({units})'
