"""Grow a trained k-stage ``ResNetMultiStage`` model into a (k+1)-stage one
(Su et al., Sec. 3: "first train a triple-stage model, then transform it to
quad-stage"). The first k stages keep their weights, so their predictions
are unchanged; the new stage starts from the previous stage's weights
where the shapes agree (a ResNet-50 stage after a ResNet-50 stage), or
from its fresh initialisation otherwise, and the new transition (input and
tock links) starts fresh.
"""
import re
from typing import Dict

import torch

# <prefix>encoders.<i>. etc.: prefix 'backbone.' in a TopdownPoseEstimator
STAGE_KEY = re.compile(r'^(.*?)(encoders|decoders|heatmaps)\.(\d+)\.')


def num_stages(state: Dict[str, torch.Tensor],
               what: str = 'this checkpoint') -> int:
    # count encoders: other backbones (the hourglasses) have "heatmaps.<i>"
    # too, which would give a misleading stage count
    stages = {int(m.group(3)) for m in map(STAGE_KEY.match, state)
              if m and m.group(2) == 'encoders'}
    if not stages:
        raise ValueError(
            f'{what} is not a ResNetMultiStage model (no '
            '[backbone.]encoders.<i>. keys): grow_stages grows the ResNet '
            'multi-stage network of configs/resnet_multi_stage/ only; '
            'hourglass families change their stack count in the config '
            '(num_stacks) and train from scratch')
    return max(stages) + 1


def grow_state_dict(old: Dict[str, torch.Tensor],
                    new: Dict[str, torch.Tensor],
                    copy_previous: bool = True) -> Dict[str, torch.Tensor]:
    """``new`` (the state of a freshly built model with one more stage)
    with every tensor of ``old`` copied in, and the new stage copied from
    the last old one where shapes agree."""
    k = num_stages(old)
    grown_stages = num_stages(new, "the config's model")
    if grown_stages != k + 1:
        raise ValueError(f'the new model has {grown_stages} stages; a '
                         f'{k}-stage checkpoint grows into {k + 1}')
    grown = dict(new)
    for key, value in old.items():
        if key not in new or new[key].shape != value.shape:
            raise ValueError(f'{key} of the checkpoint does not fit the new '
                             'model: its first stages must be the same')
        grown[key] = value
    if copy_previous:
        for key, value in old.items():
            m = STAGE_KEY.match(key)
            if not m or int(m.group(3)) != k - 1:
                continue
            prefix, part = m.group(1), m.group(2)
            target = (f'{prefix}{part}.{k}.' +
                      key[len(f'{prefix}{part}.{k - 1}.'):])
            if target in new and new[target].shape == value.shape:
                grown[target] = value.clone()
    return grown
