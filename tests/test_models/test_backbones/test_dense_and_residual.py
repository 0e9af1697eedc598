"""DC-hourglass (Liu & Ding) and Residual Stacked Hourglass (Yoo et al.)."""
import pytest
import torch
import torch.nn as nn
from mmpose.registry import MODELS

from mmpose_hourglass_ext.utils.analysis import count_params
from mmpose_hourglass_ext.models.backbones import (DenseStackedHourglass,
                                                   ResidualStackedHourglass,
                                                   StackedHourglass)

SMALL = dict(num_keypoints=3, channels=8, stem_channels=(8, 8), depth=2)


def first_stack_gets_gradient(model):
    outs = model(torch.randn(2, 3, 32, 32))
    outs[-1].pow(2).mean().backward()  # the last stack's output only
    grads = [p.grad for p in model.hourglasses[0].parameters()]
    return all(g is not None and torch.isfinite(g).all() for g in grads) \
        and sum(g.abs().sum() for g in grads) > 0


def count_sources(model, x):
    """How many C-channel maps each dense fusion conv actually reads."""
    seen = {}
    for s, conv in enumerate(model.dense_fusions, start=1):
        conv.register_forward_hook(
            lambda m, args, out, s=s: seen.__setitem__(
                s, args[0].shape[1] // model.channels))
    model(x)
    return seen


# -- DC-hourglass --------------------------------------------------------
@pytest.mark.parametrize('max_links,expected', [
    (None, {1: 2, 2: 3, 3: 4, 4: 5}),   # stem + every earlier stack
    (2, {1: 2, 2: 2, 3: 2, 4: 2}),      # the two most recent sources
])
def test_each_dense_stack_receives_all_earlier_outputs(max_links, expected):
    model = DenseStackedHourglass(num_stacks=5, max_links=max_links, **SMALL)
    assert count_sources(model, torch.randn(1, 3, 32, 32)) == expected
    assert [model.num_links(s) for s in range(1, 5)] == list(expected.values())


def test_dense_concat_fusion_reads_the_stem_and_each_stack():
    torch.manual_seed(0)
    model = DenseStackedHourglass(num_stacks=3, **SMALL)
    model.eval()
    inputs = [torch.randn(1, 8, 8, 8) for _ in range(1)]
    sent = [torch.randn(1, 8, 8, 8) for _ in range(2)]
    merged = model.merge(1, inputs, sent)  # input of stack 2
    conv = model.dense_fusions[1]
    expected = conv(torch.cat([inputs[0], *sent], 1))
    assert torch.equal(merged, expected)
    # zeroing the stem's slice of the conv removes the stem's influence
    with torch.no_grad():
        conv.weight[:, :8] = 0
    assert torch.equal(model.merge(1, [torch.randn(1, 8, 8, 8)], sent),
                       model.merge(1, inputs, sent))


def test_dense_sum_of_all_links_is_newells_network():
    """Newell's x_{i+1} = x_i + o_i unrolls to stem + o_0 + ... + o_i."""
    torch.manual_seed(0)
    newell = StackedHourglass(num_stacks=4, **SMALL)
    dense = DenseStackedHourglass(num_stacks=4, fusion='sum', **SMALL)
    dense.load_state_dict(newell.state_dict())
    newell.eval()
    dense.eval()
    x = torch.randn(2, 3, 32, 32)
    for a, b in zip(newell(x), dense(x)):
        assert torch.allclose(a, b, atol=1e-5)


def test_dense_concat_params_of_the_8_stack_model():
    # Newell 8 x 256 plus the 1x1 fusions: (2 + 3 + ... + 8) x 256 -> 256
    newell = count_params(StackedHourglass(16, 8, 256))
    dense = count_params(DenseStackedHourglass(16, 8, 256))
    assert dense - newell == sum(k * 256 * 256 + 256 for k in range(2, 9))
    assert round(dense / 1e6, 2) == 27.73


def test_dense_options_are_checked():
    with pytest.raises(ValueError, match='fusion must be one of'):
        DenseStackedHourglass(fusion='max', **SMALL)
    with pytest.raises(ValueError, match='max_links'):
        DenseStackedHourglass(max_links=0, **SMALL)


# -- Residual Stacked Hourglass ----------------------------------------------
def test_highways_pair_symmetric_stacks():
    model = ResidualStackedHourglass(**SMALL)
    assert model.num_stacks == 5
    assert [model.highway_source(s) for s in range(5)] == \
        [None, None, None, 1, 0]  # stack 4 <- 0, 3 <- 1 (poster: 5<-1, 4<-2)


def test_highway_adds_the_symmetric_stacks_output():
    torch.manual_seed(0)
    model = ResidualStackedHourglass(**SMALL)
    model.eval()
    captured = {}
    for s in (0, 4):
        model.hourglasses[s].register_forward_hook(
            lambda m, a, out, s=s: captured.__setitem__(s, out))
    seen_by_head = {}
    model.post_blocks[4].register_forward_hook(
        lambda m, args, out: seen_by_head.__setitem__(4, args[0]))
    model(torch.randn(1, 3, 32, 32))
    assert torch.allclose(seen_by_head[4], captured[4] + captured[0])

    # zero the first hourglass' output: stack 4 then sees its own output only
    model.hourglasses[0].register_forward_hook(
        lambda m, a, out: torch.zeros_like(out))
    model(torch.randn(1, 3, 32, 32))
    assert torch.equal(seen_by_head[4], captured[4])


def test_highways_off_is_the_plain_stacked_hourglass():
    torch.manual_seed(0)
    model = ResidualStackedHourglass(highways=False, **SMALL)
    plain = StackedHourglass(num_stacks=5, num_blocks=2, **SMALL)
    plain.load_state_dict(model.state_dict())
    model.eval()
    plain.eval()
    x = torch.randn(1, 3, 32, 32)
    assert all(torch.equal(a, b) for a, b in zip(model(x), plain(x)))
    model.highways = True
    with_highways = model(x)
    assert torch.equal(with_highways[2], plain(x)[2])  # before any highway
    assert not torch.allclose(with_highways[4], plain(x)[4])


def test_residual_stacked_hourglass_matches_the_posters_31_1m():
    params = count_params(ResidualStackedHourglass(num_keypoints=17))
    assert abs(params / 31.1e6 - 1) <= 0.05
    assert round(params / 1e6, 2) == 31.02
    # the highways are additions: no parameters of their own
    assert params == count_params(StackedHourglass(17, 5, 256, num_blocks=2))


# -- both ---------------------------------------------------------------------
@pytest.mark.parametrize('name', ['DenseStackedHourglass',
                                  'ResidualStackedHourglass'])
def test_registered_shapes_and_gradient_to_the_first_stack(name):
    model = MODELS.build(dict(type=name, num_stacks=5, **SMALL))
    outs = model(torch.randn(2, 3, 32, 48))
    assert len(outs) == 5 and all(o.shape == (2, 3, 8, 12) for o in outs)
    model.zero_grad()
    assert first_stack_gets_gradient(model)


def test_dense_links_carry_gradient_straight_from_the_last_stack():
    """The last stack reads stack 0's output through its fusion conv: cut
    the ordinary chain (stacks 1..3 hourglasses output zero) and stack 0
    still gets gradient from the last stack's loss."""
    model = DenseStackedHourglass(num_stacks=5, **SMALL)
    for s in (1, 2, 3):
        model.hourglasses[s].register_forward_hook(
            lambda m, a, out: torch.zeros_like(out))
    assert first_stack_gets_gradient(model)
