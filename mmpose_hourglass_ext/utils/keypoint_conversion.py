"""Re-use a checkpoint trained on one keypoint set for another (MPII's 16
joints -> LSP's 14, for the MPII-pretrain -> LSP-finetune recipe).

Only the layers tied to the keypoints change: the heatmap convs of our
backbones (``*.heatmaps.<i>.*``, output channels), their remaps into the
next stack (``*.remap_heatmaps.<i>.weight``, input channels) and an MMPose
head's ``final_layer`` (output channels). Everything else is copied, so
the first stack's heatmaps of the converted model are exactly the source
model's selected heatmaps (later stacks lose the dropped joints' remapped
heatmaps and adapt during fine-tuning).
"""
from typing import Dict, Sequence

import torch

# LSP joint j <- MPII joint MPII_TO_LSP[j]: ankles, knees, hips, wrists,
# elbows, shoulders, neck (MPII upper neck), head top
MPII_TO_LSP = (0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 8, 9)


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
                     indices: Sequence[int],
                     num_keypoints: int) -> Dict[str, torch.Tensor]:
    """Copy of ``state_dict`` with the keypoint layers reduced to
    ``indices`` (of ``num_keypoints`` source keypoints)."""
    if max(indices) >= num_keypoints:
        raise ValueError(f'keypoint index {max(indices)} out of range for '
                         f'{num_keypoints} source keypoints')
    out, changed = {}, []
    index = torch.as_tensor(list(indices))
    for name, tensor in state_dict.items():
        axis = keypoint_axis(name, tensor, num_keypoints)
        if axis is None:
            out[name] = tensor
        else:
            out[name] = tensor.index_select(axis, index.to(tensor.device))
            changed.append(name)
    if not changed:
        raise ValueError(
            f'no heatmap layer with {num_keypoints} keypoints found: is this '
            'a checkpoint of a model trained on that keypoint set?')
    return out
