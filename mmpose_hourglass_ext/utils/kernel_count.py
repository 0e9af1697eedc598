"""How many operators and kernels a piece of work launches: what bounds a
model of many small operators on a GPU, where each launch costs ~20 us of
host time however little it computes (docs/benchmarks.md, "GPU").

* :func:`count_aten_ops`: the aten operators ``fn`` dispatches, counted by
  a ``TorchDispatchMode`` (forward and backward alike; each is at least
  one kernel launch on a GPU, or a view), split into convolutions and the
  rest.
* :func:`count_launches`: the kernels ``fn`` launches, from torch.profiler's
  events, for eager and compiled code alike: inductor's generated kernels
  plus every operator called at the top level (from Python or from a
  compiled graph's wrapper: inductor's extern calls), less allocations
  and views, which launch nothing. On a CUDA device, the kernels the
  device ran.
"""
import re
from collections import Counter

import torch

CONV_OPS = re.compile(r'conv')
# inductor's generated kernels as the profiler names them (CPU kernels need
# torch._inductor.config.cpp.enable_kernel_profile; see count_launches)
GENERATED = re.compile(r'^(graph_\d+_)?(cpp_fused|triton_)')
OPERATOR = re.compile(r'^(aten|mkldnn|inductor|prims)::')
NO_KERNEL = {  # allocations and views: host bookkeeping, no kernel
    'aten::empty', 'aten::empty_strided', 'aten::empty_like',
    'aten::new_empty_strided', 'aten::new_empty',
    'aten::as_strided', 'aten::as_strided_', 'aten::view',
    'aten::_reshape_alias', 'aten::reshape', 'aten::resize_',
    'aten::detach', 'aten::detach_', 'aten::alias', 'aten::t',
    'aten::transpose', 'aten::permute', 'aten::expand', 'aten::squeeze',
    'aten::unsqueeze', 'aten::slice', 'aten::select', 'aten::unbind',
    'aten::split', 'aten::lift_fresh', 'aten::_unsafe_view',
    'aten::set_', 'aten::flatten', 'aten::contiguous', 'aten::to',
    'aten::lift_fresh_copy', 'aten::result_type', 'aten::is_nonzero',
}


def count_aten_ops(fn) -> dict:
    """``{'conv': n, 'other': n, 'total': n, 'kinds': {op: n}}``: the aten
    operators ``fn`` dispatches below autograd (an operator that another
    calls inside its kernel is not seen: the mode is off inside it)."""
    from torch.utils._python_dispatch import TorchDispatchMode
    kinds = Counter()

    class Counter_(TorchDispatchMode):

        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            kinds[func.overloadpacket.__name__] += 1
            return func(*args, **(kwargs or {}))

    with Counter_():
        fn()
    conv = sum(n for k, n in kinds.items() if CONV_OPS.search(k))
    total = sum(kinds.values())
    return dict(conv=conv, other=total - conv, total=total,
                kinds=dict(kinds.most_common()))


def name_cpu_kernels() -> None:
    """Make inductor's generated CPU kernels visible to the profiler under
    their names; call it before compiling what :func:`count_launches`
    will count (it acts at code generation)."""
    import torch._inductor.config as inductor_config
    inductor_config.cpp.enable_kernel_profile = True


def _top_level(event) -> bool:
    parent = event.cpu_parent
    while parent is not None:
        if OPERATOR.match(parent.name) or GENERATED.match(parent.name):
            return False
        parent = parent.cpu_parent
    return True


def count_launches(fn, device: str = 'cpu') -> dict:
    """``{'conv': n, 'generated': n, 'other': n, 'total': n}``: the kernels
    one call of ``fn`` launches (see the module docstring); run ``fn`` once
    before, so that compilation is not what is counted, and compile after
    :func:`name_cpu_kernels` on a CPU."""
    from torch.profiler import ProfilerActivity, profile
    cuda = device.startswith('cuda')
    activities = [ProfilerActivity.CPU] + (
        [ProfilerActivity.CUDA] if cuda else [])
    with profile(activities=activities) as prof:
        fn()
        if cuda:
            torch.cuda.synchronize()
    counts = Counter()
    for event in prof.events():
        name = event.name
        if cuda:
            if event.device_type != torch.autograd.DeviceType.CUDA:
                continue
            kind = ('conv' if re.search(r'conv|cudnn|implicit_gemm|wgrad|'
                                        r'dgrad|fprop', name, re.I)
                    else 'generated' if 'triton' in name else 'other')
        elif GENERATED.match(name):
            kind = 'generated'
        elif (OPERATOR.match(name) and name not in NO_KERNEL
              and _top_level(event)):
            kind = 'conv' if CONV_OPS.search(name) else 'other'
        else:
            continue
        counts[kind] += 1
    return dict(conv=counts['conv'], generated=counts['generated'],
                other=counts['other'], total=sum(counts.values()))
