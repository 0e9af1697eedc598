"""The shared hourglass core and the Newell stacked-hourglass baseline."""
import pytest
import torch
import torch.nn as nn
from mmpose.registry import MODELS

from mmpose_hourglass_ext.utils.analysis import count_params
from mmpose_hourglass_ext.models.backbones import (AddFusion, Hourglass,
                                                   PreActBottleneck,
                                                   StackedHourglass)


def test_bottleneck_is_newells_residual_module():
    same = PreActBottleneck(8, 8)
    assert isinstance(same.skip, nn.Identity)
    wider = PreActBottleneck(8, 16)
    assert isinstance(wider.skip, nn.Conv2d)
    convs = [m for m in wider.residual if isinstance(m, nn.Conv2d)]
    assert [(c.in_channels, c.out_channels, c.kernel_size[0])
            for c in convs] == [(8, 8, 1), (8, 8, 3), (8, 16, 1)]
    # C=256: 3 convs + 3 BN = 214,528 parameters, as in Newell's Torch code
    assert count_params(PreActBottleneck(256, 256)) == 214528


@pytest.mark.parametrize('depth', [1, 2, 4])
def test_hourglass_keeps_shape(depth):
    hg = Hourglass(depth, 8)
    x = torch.randn(2, 8, 16, 16)
    assert hg(x).shape == x.shape


def test_hourglass_recursion_and_block_count():
    hg = Hourglass(4, 8, num_blocks=1)
    blocks = [m for m in hg.modules() if isinstance(m, PreActBottleneck)]
    # per level: skip, down, up (3 x 4) plus the bottom block
    assert len(blocks) == 13
    assert isinstance(hg.inner.inner.inner.inner, nn.Sequential)


def test_hourglass_rejects_sizes_it_cannot_pool():
    with pytest.raises(ValueError, match='multiples of 16'):
        Hourglass(4, 8)(torch.randn(1, 8, 24, 24))


def test_hourglass_pieces_are_pluggable():
    calls = []

    class RecordingFusion(AddFusion):
        def forward(self, skip, up):
            calls.append(skip.shape[-1])
            return skip * 0 + up  # drop the skip branch

    blocks = []

    def block(cin, cout):
        blocks.append((cin, cout))
        return nn.Conv2d(cin, cout, 3, padding=1)

    hg = Hourglass(3, 4, block=block, num_blocks=2, skip=lambda c: nn.Identity(),
                   fusion=RecordingFusion)
    out = hg(torch.randn(1, 4, 16, 16))
    assert out.shape == (1, 4, 16, 16)
    assert calls == [4, 8, 16]  # innermost level fuses first
    # no blocks on the skip branch: down + up per level + bottom, 2 each
    assert len(blocks) == 2 * (2 * 3 + 1)


def test_registered_backbone_shapes():
    model = MODELS.build(dict(type='StackedHourglass', num_keypoints=5,
                              num_stacks=3, channels=16, depth=3))
    outs = model(torch.randn(2, 3, 64, 64))
    assert len(outs) == 3
    assert all(o.shape == (2, 5, 16, 16) for o in outs)
    # non-square inputs (COCO 256x192 style)
    outs = model(torch.randn(1, 3, 64, 96))
    assert outs[-1].shape == (1, 5, 16, 24)


def test_newell_8_stack_parameter_count():
    model = StackedHourglass(num_keypoints=16, num_stacks=8, channels=256)
    params = count_params(model)
    # Newell et al. 2016 as quoted by Bulat et al. (Table VII): 25.5M
    assert abs(params - 25.5e6) / 25.5e6 < 0.05, params
    assert 25.3e6 < params < 25.6e6


def test_every_stack_is_supervised_and_feeds_the_next():
    torch.manual_seed(0)
    model = StackedHourglass(num_keypoints=4, num_stacks=2, channels=8,
                             stem_channels=(8, 8), depth=2)
    x = torch.randn(2, 3, 32, 32)
    first, last = model(x)
    # the last stack's loss reaches the stem and the first stack's heads
    last.pow(2).mean().backward()
    assert model.stem[0].conv.weight.grad.abs().sum() > 0
    assert model.heatmaps[0].weight.grad.abs().sum() > 0
    # the first stack's heatmaps enter the second stack through the remap
    model.zero_grad()
    with torch.no_grad():
        model.remap_heatmaps[0].weight.add_(1.0)
        _, changed = model(x)
    assert not torch.allclose(changed, last)


def test_invalid_arguments():
    with pytest.raises(ValueError, match='num_stacks'):
        StackedHourglass(num_stacks=0)
    with pytest.raises(ValueError, match='depth'):
        Hourglass(0, 8)


@pytest.mark.parametrize('channels_last', [False, True])
def test_fused_upsample_add_is_upsample_then_add(channels_last):
    """The speed rewrite of Newell's merge gives the two-step values and
    gradients exactly, in both memory layouts, and keeps the layout (a
    channels-last map converted to NCHW would be converted back by the
    next conv)."""
    import torch.nn.functional as F

    from mmpose_hourglass_ext.models.backbones.utils import \
        upsample_add
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    skip = torch.randn(2, 3, 8, 6).to(memory_format=fmt).requires_grad_()
    low = torch.randn(2, 3, 4, 3).to(memory_format=fmt).requires_grad_()
    fused = upsample_add(skip, low)
    fused.backward(torch.arange(fused.numel(), dtype=torch.float32)
                   .view_as(fused))
    grads = skip.grad.clone(), low.grad.clone()
    skip.grad = low.grad = None
    ref = skip + F.interpolate(low, scale_factor=2, mode='nearest')
    ref.backward(torch.arange(ref.numel(), dtype=torch.float32).view_as(ref))
    assert torch.equal(fused, ref)
    assert fused.is_contiguous(memory_format=fmt)
    assert torch.equal(grads[0], skip.grad) and torch.equal(grads[1],
                                                             low.grad)


def test_hourglass_uses_the_fused_merge_only_for_newells_add():
    """A custom fusion still receives the upsampled map."""
    seen = []

    class Recording(AddFusion):
        def forward(self, skip, up):
            seen.append(up.shape)
            return skip + up

    hg = Hourglass(depth=2, channels=4, fusion=Recording)
    hg(torch.randn(1, 4, 8, 8))
    assert seen == [torch.Size([1, 4, 4, 4]), torch.Size([1, 4, 8, 8])]
