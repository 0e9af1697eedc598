"""What every backbone of the package shares about its outputs and its
weights: the output mode (per-stage heatmaps or features), the check that
the head on top fits them, and strict loading.

* ``out='heatmaps'`` (default, the papers' configs): one K-channel heatmap
  tensor per stage; ``CPMHead`` (or ``MultiStageHeatmapHead``) with
  ``num_stages`` = stages, ``in_channels`` = K, ``deconv_out_channels=None``
  and ``final_layer=None`` on top.
* ``out='features'``: one C-channel feature map per stage (the last one
  last), so MMPose's own heads fit: ``HeatmapHead``, ``RTMCCHead``,
  ``RegressionHead`` ... read the last, ``CPMHead(num_stages=stages)``
  supervises every stage.

The head check runs at the model's first forward (the backbone finds the
``TopdownPoseEstimator`` that calls it), under this package's tools and
MMPose's alike, and stops with the numbers and the settings to change.

Strict loading: MMPose's tools and inferencer load checkpoints with
``strict=False`` (mmengine 0.10.7 only warns), so another model's weights
would give a half-random model whose keypoints and metrics look normal.
The backbones refuse any checkpoint whose keys or shapes under their
prefix differ from theirs, through every loader (``strict_load=False``
turns this off for deliberate partial loading).
"""
import sys
import warnings
from typing import Optional

import torch

OUTPUT_MODES = ('heatmaps', 'features')
SINGLE_OUTPUT_HEADS = ('HeatmapHead', 'RTMCCHead', 'SimCCHead',
                       'RegressionHead', 'DSNTHead', 'IntegralRegressionHead',
                       'ViPNASHead', 'RLEHead')


def is_exporting_or_compiling() -> bool:
    compiler = getattr(torch, 'compiler', None)
    return (torch.jit.is_tracing() or torch.jit.is_scripting()
            or torch.onnx.is_in_onnx_export()
            or bool(compiler and compiler.is_compiling()))


def calling_estimator(backbone, max_depth: int = 8):
    """The model whose ``backbone`` attribute is ``backbone`` and that is
    running it now (MMPose's ``extract_feat``), found on the call stack."""
    frame = sys._getframe(2)
    for _ in range(max_depth):
        if frame is None:
            return None
        owner = frame.f_locals.get('self')
        if owner is not None and owner is not backbone and getattr(
                owner, 'backbone', None) is backbone:
            return owner
        frame = frame.f_back
    return None


def _setting(head, name) -> Optional[object]:
    value = getattr(head, name, None)
    return value if isinstance(value, int) else None


def upsampling_factor(head) -> int:
    """How much the head's deconvolutions enlarge its input (2 per stride-2
    transposed conv of its first stage)."""
    layers = getattr(head, 'deconv_layers', None)
    if layers is None and getattr(head, 'multi_deconv_layers', None):
        layers = head.multi_deconv_layers[0]
    inner = getattr(head, 'simplebaseline_head', None)  # integral heads
    if layers is None and inner is not None:
        layers = inner.deconv_layers
    if layers is None:
        return 1
    return 2**sum(1 for m in layers.modules()
                  if isinstance(m, torch.nn.ConvTranspose2d))


# heads that regress coordinates from one vector per person: they need
# MMPose's GlobalAveragePooling neck between our feature maps and them
VECTOR_HEADS = ('RegressionHead', 'RLEHead')


def check_head_fits(backbone, head, out_hw=None, neck=None) -> None:
    """Raise a ValueError naming the head settings to change when ``head``
    cannot read what ``backbone`` returns (``out_hw``: the spatial size of
    the backbone's outputs; ``neck``: the model's neck, if any); warn when
    it reads only part."""
    stages = backbone.num_outputs
    channels = backbone.out_channels
    mode = backbone.out
    kind = type(head).__name__
    name = type(backbone).__name__
    gives = (f'{name} (out={mode!r}) gives {stages} stage(s) x {channels} '
             'channels')
    in_channels = _setting(head, 'in_channels')
    head_stages = _setting(head, 'num_stages')
    fixes = []
    if kind == 'MSPNHead':
        raise ValueError(
            f'{gives}, but MSPNHead reads the multi-unit feature pyramid of '
            "MSPN's own backbone, which no hourglass makes. Use CPMHead "
            f'(num_stages={stages}) for every stage or HeatmapHead for the '
            'last. See docs/drop_in.md.')
    model_fixes = []
    if kind in VECTOR_HEADS and type(neck).__name__ != 'GlobalAveragePooling':
        model_fixes.append("add model neck=dict(type='GlobalAveragePooling') "
                           '(it pools the maps into the vectors the head '
                           'reads)')
    if in_channels is not None and in_channels != channels:
        fixes.append(f'in_channels={channels} (is {in_channels})')
    if head_stages is not None and head_stages != stages:
        fixes.append(f'num_stages={stages} (is {head_stages})')
    loss_stages = _setting(getattr(head, 'loss_module', None), 'num_stages')
    if loss_stages is not None and loss_stages != stages:
        # a per-stage loss (AdaptiveWeightedMSELoss) counts its calls
        fixes.append(f'loss num_stages={stages} (is {loss_stages})')
    if mode == 'heatmaps' and head_stages is not None:
        # CPMHead-style: the backbone's heatmaps are the predictions
        if getattr(head, 'multi_deconv_layers', None) is not None and any(
                not isinstance(m, torch.nn.Identity)
                for m in head.multi_deconv_layers):
            fixes.append('deconv_out_channels=None')
        if getattr(head, 'multi_final_layers', None) is not None and any(
                not isinstance(m, torch.nn.Identity)
                for m in head.multi_final_layers):
            fixes.append('final_layer=None')
    if out_hw is not None:
        h, w = (int(v) for v in out_hw)
        heatmap_size = getattr(getattr(head, 'decoder', None),
                               'heatmap_size', None)
        factor = upsampling_factor(head)
        if heatmap_size is not None and (hasattr(head, 'deconv_layers') or
                                         hasattr(head, 'multi_deconv_layers')):
            made = (w * factor, h * factor)
            if made != tuple(heatmap_size):
                fixes.append(
                    'deconv_out_channels=None (its deconvolutions enlarge '
                    f'the {w}x{h} maps {factor}x to {made[0]}x{made[1]}, '
                    f'the codec\'s heatmap_size is {tuple(heatmap_size)})'
                    if factor > 1 else
                    f'decoder heatmap_size=({w}, {h}) (is '
                    f'{tuple(heatmap_size)})')
        if hasattr(head, 'linspace_x'):  # IntegralRegressionHead, DSNTHead
            made = (w * factor, h * factor)
            if made != tuple(head.heatmap_size):
                fixes.append(
                    f'in_featuremap_size=({w}, {h}) and '
                    'deconv_out_channels=None (it expects '
                    f'{tuple(head.heatmap_size)} heatmaps, and would make '
                    f'{made[0]}x{made[1]} from these {w}x{h} maps; they are '
                    'at 1/4 of the input already)')
        featuremap = getattr(head, 'in_featuremap_size', None)
        if featuremap is not None and tuple(featuremap) != (w, h):
            fixes.append(f'in_featuremap_size=({w}, {h}) (is '
                         f'{tuple(featuremap)})')
    if fixes or model_fixes:
        other = ('' if mode == 'features' else
                 f"; or give the head features: backbone out='features' "
                 f'({stages} x {backbone.feature_channels} channels)')
        todo = ([f'set head {", ".join(fixes)}'] if fixes else []) + \
            model_fixes
        raise ValueError(
            f'{gives}, which model.head ({kind}) cannot read: '
            f'{"; ".join(todo)}{other}. See docs/drop_in.md.')
    if (mode == 'heatmaps' and stages > 1 and head_stages is None
            and kind in SINGLE_OUTPUT_HEADS):
        warnings.warn(
            f'{gives}, but {kind} reads only the last: the other '
            f'{stages - 1} stage(s) get no supervision. Use CPMHead with '
            f'num_stages={stages} for intermediate supervision, or '
            "backbone out='features' to give the head features.")


class StageOutputsMixin:
    """Shared by the package's backbones; they set ``out``,
    ``num_outputs``, ``out_channels``, ``feature_channels`` and
    ``strict_load`` and call ``check_consumer()`` in ``forward``."""

    _consumer_checked = False

    @staticmethod
    def check_out_mode(out: str) -> str:
        if out not in OUTPUT_MODES:
            raise ValueError(f'out must be one of {OUTPUT_MODES}, got '
                             f'{out!r}')
        return out

    @property
    def out_channels(self) -> int:
        return (self.num_keypoints if self.out == 'heatmaps' else
                self.feature_channels)

    def check_consumer(self, outs) -> None:
        """Once, at the first forward: does the head fit our outputs?"""
        if self._consumer_checked or is_exporting_or_compiling():
            return
        self._consumer_checked = True
        estimator = calling_estimator(self)
        head = getattr(estimator, 'head', None)
        if head is not None:
            check_head_fits(self, head, outs[-1].shape[-2:],
                            neck=getattr(estimator, 'neck', None))

    def _load_from_state_dict(self, state_dict, prefix, local_metadata,
                              strict, missing_keys, unexpected_keys,
                              error_msgs):
        if self.strict_load:
            check_state_fits(self, state_dict, prefix)
        super()._load_from_state_dict(state_dict, prefix, local_metadata,
                                      strict, missing_keys, unexpected_keys,
                                      error_msgs)


def check_state_fits(module, state_dict, prefix: str = '',
                     header: Optional[str] = None) -> None:
    """ValueError naming missing, unexpected and wrong-size keys of the
    state under ``prefix`` (num_batches_tracked aside: old BN states);
    ``header`` replaces the message's first line."""
    def relevant(key):
        return not key.endswith('num_batches_tracked')

    expected = {prefix + k: v.shape for k, v in module.state_dict().items()
                if relevant(k)}
    found = {k: v.shape for k, v in state_dict.items()
             if k.startswith(prefix) and relevant(k)}
    missing = sorted(set(expected) - set(found))
    unexpected = sorted(set(found) - set(expected))
    wrong = sorted(f'{k}: checkpoint {tuple(found[k])}, model '
                   f'{tuple(expected[k])}' for k in set(expected) & set(found)
                   if tuple(found[k]) != tuple(expected[k]))
    if not (missing or unexpected or wrong):
        return

    def some(keys):
        return ', '.join(keys[:6]) + (f' ... ({len(keys)} in all)'
                                      if len(keys) > 6 else '')

    lines = [header or f'these weights do not fit {type(module).__name__} '
             f'({prefix or "the model"}):']
    if wrong:
        lines.append(f'  wrong size: {some(wrong)}')
    if missing:
        lines.append(f'  missing from the checkpoint: {some(missing)}')
    if unexpected:
        lines.append(f'  not in the model: {some(unexpected)}')
    lines.append(
        '  The checkpoint was trained with another model, output mode or '
        'keypoint count: use the config it was trained with (saved in its '
        'work dir), or convert it (tools/misc/convert_keypoints.py: MPII <-> '
        'LSP). To load part of it on purpose, set the backbone\'s '
        'strict_load=False.')
    raise ValueError('\n'.join(lines))
