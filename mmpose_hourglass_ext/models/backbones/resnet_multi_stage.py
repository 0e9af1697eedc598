"""ResNet-encoder multi-stage network (Su et al., "Improvement Multi-Stage
Model for Human Pose Estimation", technical report 2019).

Each stage is MMPose's ``ResNet`` encoder and a SimpleBaseline-like
decoder of three 4x4/2 deconvolutions with a projected encoder feature
added at each resolution (Sec. 2.1, Fig. 1). Stages chain with the paper's
changes to MSPN (Sec. 2.2, Figs. 2-3): stage s+1's ResNet starts at its
first residual layer on ``x_s + input_link_s(decoder feature_s)``, and
``prediction_link`` ('output' or 'input') says where the previous
stage's heatmaps enter (the "tock"; both readings are explained in
docs/models.md). ``depths`` gives each stage's ResNet depth. Weights are
random unless ``encoder_checkpoints`` names *local* files: nothing is
downloaded at run time.
"""
from typing import Optional, Sequence, Tuple

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule, build_norm_layer
from mmengine.model import ModuleList
from mmpose.models.backbones import ResNet
from mmpose.models.backbones.base_backbone import BaseBackbone
from mmpose.registry import MODELS

from ..utils import StageOutputsMixin
from .utils import init_heatmap_conv

DOWNLOADS = ('http://', 'https://', 'torchvision://', 'open-mmlab://',
             'mmcls://', 'modelzoo://')


def encoder_channels(base_channels: int) -> Tuple[int, ...]:
    """Output widths of a bottleneck ResNet's four stages (256 ... 2048 for
    the standard base width 64)."""
    return tuple(base_channels * 4 * 2**i for i in range(4))


def resnet_encoder(depth: int, checkpoint: Optional[str],
                   base_channels: int, norm_cfg: dict) -> ResNet:
    if depth not in (50, 101, 152):
        raise ValueError(f'ResNet depth must be 50, 101 or 152, got {depth}')
    kwargs = {}  # no checkpoint: MMPose's ResNet init (Kaiming, BN = 1)
    if checkpoint:
        if checkpoint.startswith(DOWNLOADS):
            raise ValueError(
                f'{checkpoint!r} would be downloaded at run time; download '
                'the ImageNet checkpoint yourself and give its local path')
        kwargs['init_cfg'] = dict(type='Pretrained', checkpoint=checkpoint)
    return ResNet(depth=depth, out_indices=(0, 1, 2, 3),
                  stem_channels=base_channels, base_channels=base_channels,
                  norm_cfg=norm_cfg, **kwargs)


class Decoder(nn.Module):
    """Three deconvolutions, each plus the projected encoder feature."""

    def __init__(self, channels: int, encoder_widths: Sequence[int],
                 norm_cfg: dict):
        super().__init__()
        ins = (encoder_widths[-1], channels, channels)
        self.deconvs = nn.ModuleList()
        for cin in ins:
            self.deconvs.append(nn.Sequential(
                nn.ConvTranspose2d(cin, channels, 4, stride=2, padding=1,
                                   bias=False),
                build_norm_layer(norm_cfg, channels)[1],
                nn.ReLU(inplace=True)))
        # encoder features at 1/16, 1/8, 1/4, projected to the decoder width
        self.laterals = nn.ModuleList([
            ConvModule(c, channels, 1, norm_cfg=norm_cfg, act_cfg=None)
            for c in encoder_widths[2::-1]
        ])

    def forward(self, features: Sequence[torch.Tensor]) -> torch.Tensor:
        x = features[-1]
        for deconv, lateral, skip in zip(self.deconvs, self.laterals,
                                         features[2::-1]):
            x = deconv(x) + lateral(skip)
        return x


def run_stage(encoder: ResNet, decoder: Decoder,
              x: torch.Tensor) -> torch.Tensor:
    """One stage: the encoder's residual layers, their features decoded
    (the unit regional compilation compiles)."""
    features = []
    for name in encoder.res_layers:
        x = getattr(encoder, name)(x)
        features.append(x)
    return decoder(features)


@MODELS.register_module()
class ResNetMultiStage(StageOutputsMixin, BaseBackbone):
    """Chained ResNet-encoder/deconvolution-decoder stages, one heatmap
    tensor per stage (use :class:`MultiStageHeatmapHead` on top), or one
    decoder feature map per stage with ``out='features'``.

    Args:
        num_keypoints: heatmap channels K.
        depths: ResNet depth of each stage, e.g. ``(50, )`` single stage,
            ``(101, 50, 50)`` triple stage.
        channels: decoder width (256).
        encoder_checkpoints: optional local ImageNet checkpoint per stage
            (``None`` entries: random init).
        base_channels: ResNet base width (64; smaller for small models).
        prediction_link: where stage s's predictions (the tock) enter
            stage s+1: ``'output'`` (added to its predictions) or
            ``'input'`` (added to its input features).
        norm_cfg: every norm layer's, the encoders' included.
        out, strict_load: see ``models/utils/stage_outputs.py``. With
            ``out='features'`` the head predicts; the ``'output'`` tock,
            which adds predictions, then has nothing to add to.
    """

    PREDICTION_LINKS = ('output', 'input')

    def __init__(self,
                 num_keypoints: int = 16,
                 depths: Sequence[int] = (50, ),
                 channels: int = 256,
                 encoder_checkpoints: Optional[Sequence[Optional[str]]] = None,
                 base_channels: int = 64,
                 prediction_link: str = 'output',
                 norm_cfg: dict = dict(type='BN'),
                 out: str = 'heatmaps',
                 strict_load: bool = True,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.out = self.check_out_mode(out)
        self.strict_load = strict_load
        self.feature_channels = channels
        if out == 'features' and prediction_link == 'output' and len(
                depths) > 1:
            raise ValueError(
                "ResNetMultiStage: prediction_link='output' adds each "
                "stage's predictions to the next one's, but with "
                "out='features' the head predicts: use "
                "prediction_link='input'")
        if prediction_link not in self.PREDICTION_LINKS:
            raise ValueError(f'prediction_link must be one of '
                             f'{self.PREDICTION_LINKS}, got '
                             f'{prediction_link!r}')
        self.prediction_link = prediction_link
        if not depths:
            raise ValueError('depths needs one ResNet depth per stage')
        checkpoints = list(encoder_checkpoints or [None] * len(depths))
        if len(checkpoints) != len(depths):
            raise ValueError(f'{len(checkpoints)} encoder_checkpoints for '
                             f'{len(depths)} stages')
        self.num_keypoints = num_keypoints
        self.num_stages = self.num_outputs = len(depths)
        self.depths = tuple(depths)
        self.run_stage = run_stage  # compile_repeated swaps in its compiled form
        # mmengine's ModuleList: init_weights() reaches the encoders (their
        # Kaiming init or local ImageNet checkpoint); nn.ModuleList hides them
        self.encoders = ModuleList()
        for s, (depth, ckpt) in enumerate(zip(depths, checkpoints)):
            encoder = resnet_encoder(depth, ckpt, base_channels, norm_cfg)
            if s > 0:  # the image enters through stage 0's stem only
                for name in ('conv1', encoder.norm1_name, 'relu', 'maxpool'):
                    delattr(encoder, name)
            self.encoders.append(encoder)
        self.decoders = nn.ModuleList(
            [Decoder(channels, encoder_channels(base_channels), norm_cfg)
             for _ in depths])
        # with out='features' only the stages whose predictions feed the
        # next stage ('input' link) keep a heatmap conv
        self.heatmaps = nn.ModuleList(
            [nn.Conv2d(channels, num_keypoints, 1)
             for _ in (depths if out == 'heatmaps' else depths[1:])])
        for conv in self.heatmaps:  # MMPose's heatmap-head init
            init_heatmap_conv(conv)
        self.input_links = nn.ModuleList([
            ConvModule(channels, base_channels, 1, norm_cfg=norm_cfg,
                       act_cfg=None) for _ in depths[1:]
        ])
        if prediction_link == 'input':
            self.tocks = nn.ModuleList([
                ConvModule(num_keypoints, base_channels, 1,
                           norm_cfg=norm_cfg, act_cfg=None)
                for _ in depths[1:]
            ])
        else:
            self.tocks = nn.ModuleList(
                [nn.Conv2d(num_keypoints, num_keypoints, 1)
                 for _ in depths[1:]])
            for conv in self.tocks:  # starts near "no link", as the heads
                init_heatmap_conv(conv)

    def compile_repeated(self, **compile_kwargs) -> str:
        """Regional compilation (utils/regional_compile.py): the stage
        (encoder layers + decoder) as one function, so stages of the same
        ResNet depth share one compiled graph. Not the encoders' layers as
        modules: dynamo starts such a ``Sequential`` at each MMPose
        ``Bottleneck``, one small graph per block shape, past its cache
        limit of 8 (then eager). Returns what was compiled, for the log."""
        self.run_stage = torch.compile(run_stage, **compile_kwargs)
        return (f'run_stage ({self.num_stages} stages x encoder layers + '
                'Decoder)')

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        if x.shape[-1] % 32 or x.shape[-2] % 32:
            raise ValueError(
                'ResNetMultiStage needs input sides that are multiples of 32 '
                f'(the encoder downsamples 5 times), got {tuple(x.shape[-2:])}')
        first = self.encoders[0]
        x = first.maxpool(first.relu(getattr(first, first.norm1_name)(
            first.conv1(x))))
        outs = []
        for s in range(self.num_stages):
            feature = self.run_stage(self.encoders[s],
                                     self.decoders[s], x)
            last = s == self.num_stages - 1
            if self.out == 'features':
                outs.append(feature)
                if not last:  # the 'input' link's predictions
                    heatmaps = self.heatmaps[s](feature)
            else:
                heatmaps = self.heatmaps[s](feature)
                if s > 0 and self.prediction_link == 'output':
                    heatmaps = heatmaps + self.tocks[s - 1](outs[-1])
                outs.append(heatmaps)
            if not last:
                x = x + self.input_links[s](feature)
                if self.prediction_link == 'input':
                    x = x + self.tocks[s](heatmaps)
        self.check_consumer(outs)
        if self.out == 'features':
            return tuple(outs)
        # heatmaps leave in float32 under mixed precision: MMPose's heads turn
        # them into numpy for the training accuracy (to_numpy fails on
        # bfloat16) and the MSE of near-zero targets wants float32 anyway
        return tuple(o.float() for o in outs)
