"""Re-use a checkpoint trained on one keypoint set for another: MPII's 16
joints -> LSP's 14 (the MPII-pretrain -> LSP-finetune recipe), and LSP's
14 -> MPII's 16 (an LSP-joint model as the start of an MPII-joint one).

Only the layers tied to the keypoints change: the heatmap convs of our
backbones (``*.heatmaps.<i>.*``, output channels), their remaps into the
next stack (``*.remap_heatmaps.<i>.weight``, input channels) and an MMPose
head's ``final_layer`` (output channels). Everything else is copied, so
the first stack's heatmaps of the converted model are exactly the source
model's selected heatmaps (later stacks lose the dropped joints' remapped
heatmaps and adapt during fine-tuning).

A target joint the source lacks (MPII's pelvis and thorax, from LSP) is
given as a tuple of source joints: its heatmap layer starts as their mean
(pelvis: the hips; thorax: the shoulders -- our choice, no paper gives
one), and its input channels into the next stack start at zero, so the
converted model's first stack predicts every shared joint exactly as the
source did and the next stacks see what they saw.
"""
from typing import Dict, Sequence, Tuple, Union

import torch

# LSP joint j <- MPII joint MPII_TO_LSP[j]: ankles, knees, hips, wrists,
# elbows, shoulders, neck (MPII upper neck), head top
MPII_TO_LSP = (0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 8, 9)
# MPII joint i <- LSP joint LSP_TO_MPII[i]: ankles, knees, hips, pelvis
# (mean of the hips), thorax (mean of the shoulders), upper neck, head top,
# wrists, elbows, shoulders
LSP_TO_MPII = (0, 1, 2, 3, 4, 5, (2, 3), (8, 9), 12, 13, 6, 7, 8, 9, 10, 11)


def keypoint_axis(name: str, tensor: torch.Tensor, num_keypoints: int):
    """The axis of ``tensor`` that indexes keypoints, or None."""
    if '.remap_heatmaps.' in name and name.endswith('.weight'):
        axis = 1
    elif '.heatmaps.' in name or '.final_layer.' in name:
        axis = 0
    else:
        return None
    return axis if (tensor.dim() > axis
                    and tensor.shape[axis] == num_keypoints) else None


def select_keypoints(state_dict: Dict[str, torch.Tensor],
                     indices: Sequence[Union[int, Tuple[int, ...]]],
                     num_keypoints: int) -> Dict[str, torch.Tensor]:
    """Copy of ``state_dict`` with the keypoint layers rebuilt from
    ``indices`` (of ``num_keypoints`` source keypoints): an int copies that
    source keypoint, a tuple makes a new one (see the module docstring)."""
    flat = [i for entry in indices
            for i in (entry if isinstance(entry, tuple) else (entry,))]
    if max(flat) >= num_keypoints:
        raise ValueError(f'keypoint index {max(flat)} out of range for '
                         f'{num_keypoints} source keypoints')
    out, changed = {}, []
    for name, tensor in state_dict.items():
        axis = keypoint_axis(name, tensor, num_keypoints)
        if axis is None:
            out[name] = tensor
            continue
        parts = []
        for entry in indices:
            if not isinstance(entry, tuple):
                parts.append(tensor.narrow(axis, entry, 1))
            elif axis == 0:  # a new joint's heatmap: its sources' mean
                parts.append(torch.stack([tensor.narrow(axis, i, 1)
                                          for i in entry]).mean(0))
            else:  # its input into the next stack: nothing at first
                parts.append(torch.zeros_like(tensor.narrow(axis, 0, 1)))
        out[name] = torch.cat(parts, axis)
        changed.append(name)
    if not changed:
        raise ValueError(
            f'no heatmap layer with {num_keypoints} keypoints found: is this '
            'a checkpoint of a model trained on that keypoint set?')
    return out
