"""Multi-Scale Stacked Hourglass (the MSSH paper): pre-processing network,
scale dispatch, fusion, blocks."""
import pytest
import torch

from mmpose_hourglass_ext.utils.analysis import count_params
from mmpose_hourglass_ext.models.backbones import (InceptionResNetBlock,
                                                   MultiScaleStackedHourglass,
                                                   StackedHourglass)
from mmpose_hourglass_ext.models.backbones.multi_scale_hourglass import \
    spread_scales

TINY = dict(num_keypoints=5, channels=16, stem_channels=(8, 16), depth=2)


def tiny(**kwargs):
    torch.manual_seed(0)
    model = MultiScaleStackedHourglass(**{**TINY, **kwargs})
    model.eval()
    return model


@pytest.mark.parametrize('strides, stacks, expected', [
    ((8, 4, 2), 8, [8, 8, 8, 4, 4, 4, 2, 2]),   # the paper's MPII model
    ((8, 4, 2), 3, [8, 4, 2]),
    ((2, 8, 4), 4, [8, 8, 4, 2]),               # order of the argument
    ((8, 4, 2), 2, [8, 2]),                     # fewer stacks than scales
    ((8, 4, 2), 1, [8]),
])
def test_small_scales_go_to_the_front_large_to_the_rear(strides, stacks,
                                                        expected):
    assert spread_scales(strides, stacks) == expected


def test_shapes_and_the_maps_of_the_pre_processing_network():
    model = tiny(num_stacks=3)
    maps = model.pre_processing(model.stem[:2](torch.randn(2, 3, 64, 64)))
    # strides 8, 4, 2 of a 64 px input: 8, 16, 32 px maps of C channels
    assert {s: tuple(m.shape) for s, m in maps.items()} == {
        2: (2, 16, 32, 32), 4: (2, 16, 16, 16), 8: (2, 16, 8, 8)}
    outs = model(torch.randn(2, 3, 64, 64))
    assert [tuple(o.shape) for o in outs] == [(2, 5, 16, 16)] * 3
    # 256x192 input: every map keeps the aspect ratio
    outs = model(torch.randn(1, 3, 64, 48))
    assert tuple(outs[-1].shape) == (1, 5, 16, 12)


def perturb_map(model, stride):
    """Forward hook that adds noise to one map of the pre-processing."""
    def hook(module, args, maps):
        maps = dict(maps)
        maps[stride] = maps[stride] + torch.randn_like(maps[stride])
        return maps
    return model.pre_processing.register_forward_hook(hook)


@pytest.mark.parametrize('fusion', ['add', 'concat'])
@pytest.mark.parametrize('stride, first_stack', [(8, 0), (4, 1), (2, 2)])
def test_each_stack_receives_its_scale(fusion, stride, first_stack):
    """Changing one map changes the heatmaps from the stack that receives
    it on, and none before."""
    model = tiny(num_stacks=3, fusion=fusion)
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        before = model(x)
        handle = perturb_map(model, stride)
        after = model(x)
        handle.remove()
    for stack in range(3):
        same = torch.allclose(before[stack], after[stack])
        assert same == (stack < first_stack), (stack, stride)


def test_with_residual_blocks_and_no_maps_it_is_newells_network():
    """MSSH = Newell's network + pre-processing + fusion: with Newell's
    block and the maps zeroed, Newell's weights give Newell's heatmaps."""
    kwargs = dict(num_stacks=3, **TINY)
    newell = StackedHourglass(**kwargs)
    newell.eval()
    # a partial load on purpose: the backbones refuse it by default
    model = tiny(num_stacks=3, block='residual', strict_load=False)
    pre = count_params(model.pre_processing)
    assert count_params(model) == count_params(newell) + pre
    missing, unexpected = model.load_state_dict(newell.state_dict(),
                                                strict=False)
    assert not unexpected
    assert all(k.startswith('pre_processing.') for k in missing)
    handle = model.pre_processing.register_forward_hook(
        lambda m, a, maps: {s: torch.zeros_like(v) for s, v in maps.items()})
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        for ours, theirs in zip(model(x), newell(x)):
            assert torch.equal(ours, theirs)
    handle.remove()


def test_lateral_links_send_coarse_maps_to_the_fine_ones():
    x = torch.randn(1, 16, 32, 32)
    for lateral in (False, True):
        model = tiny(num_stacks=3, lateral=lateral)
        pre = model.pre_processing
        with torch.no_grad():
            before = pre(x)
            # change only the coarsest stage (stride 8)
            for p in pre.stages[-1].parameters():
                p.add_(torch.randn_like(p))
            after = pre(x)
        fine_changed = not torch.allclose(before[2], after[2])
        assert fine_changed == lateral


def test_only_received_scales_are_built():
    model = tiny(num_stacks=2)  # strides 8 and 2, not 4
    assert model.stack_strides == (8, 2)
    assert model.pre_processing.strides == [2, 8]
    # every parameter gets a gradient (DDP refuses unused ones)
    model.train()
    sum(o.sum() for o in model(torch.randn(2, 3, 64, 64))).backward()
    assert all(p.grad is not None for p in model.parameters())


def receptive_field(block, size=15):
    """Side of the input square that one output pixel depends on (wide
    blocks, so that no path is cut by ReLUs that happen to be off)."""
    torch.manual_seed(0)
    x = torch.randn(1, 64, size, size, requires_grad=True)
    block.eval()
    block(x)[0, :, size // 2, size // 2].sum().backward()
    rows = x.grad.abs().sum(dim=(0, 1, 3)).nonzero()
    return int(rows.max() - rows.min() + 1)


def test_inception_resnet_blocks():
    a = InceptionResNetBlock(64, 64)
    b = InceptionResNetBlock(64, 64, pooled_branch=True)
    bottleneck_rf = receptive_field(
        StackedHourglass(channels=64).build_block(64, 64))
    assert bottleneck_rf == 3
    assert receptive_field(a) == 5  # the extra 3x3 of the second branch
    assert receptive_field(b) > 5  # the pooled branch
    # odd sizes survive the pooled branch, widths change through the skip
    y = InceptionResNetBlock(8, 12, pooled_branch=True)(
        torch.randn(2, 8, 7, 9))
    assert tuple(y.shape) == (2, 12, 7, 9)
    # A is lighter than Newell's bottleneck at the same width
    newell = StackedHourglass().build_block(256, 256)
    assert count_params(InceptionResNetBlock(256, 256)) < \
        0.85 * count_params(newell)


def test_block_choice_reaches_every_block():
    for block, cls_name in (('inception_a', 'InceptionResNetBlock'),
                            ('inception_b', 'InceptionResNetBlock'),
                            ('residual', 'PreActBottleneck')):
        model = tiny(num_stacks=2, block=block)
        names = {type(m).__name__ for m in model.modules()}
        assert cls_name in names
        other = ({'PreActBottleneck'} if cls_name != 'PreActBottleneck'
                 else {'InceptionResNetBlock'})
        assert not names & other
    pooled = [m.branch_pooled is not None for m in tiny(
        block='inception_b').modules() if isinstance(m, InceptionResNetBlock)]
    assert pooled and all(pooled)


def test_paper_model_size():
    """8 stacks x 256, 16 keypoints (the paper prints no count; ours are
    in docs/models.md): block A makes it lighter than Newell's 25.43M."""
    params = count_params(MultiScaleStackedHourglass())
    assert 21.5e6 < params < 22.1e6
    assert count_params(MultiScaleStackedHourglass(block='residual')) > \
        count_params(StackedHourglass())


def test_bad_arguments_are_explained():
    with pytest.raises(ValueError, match='block must be one of'):
        MultiScaleStackedHourglass(block='inception_c')
    with pytest.raises(ValueError, match='fusion must be one of'):
        MultiScaleStackedHourglass(fusion='mul')
    with pytest.raises(ValueError, match='one stride per stack'):
        MultiScaleStackedHourglass(num_stacks=2, stack_strides=(8, 16))
    with pytest.raises(ValueError, match='powers of two'):
        MultiScaleStackedHourglass(num_stacks=1, scale_strides=(6, ))
