# DC-hourglass (3 stacks of 16 channels, dense concat links) on the tiny LSP
# set-up of stacked_hourglass_tiny_lsp-64x64.py, for a few iterations.
_base_ = ['./stacked_hourglass_tiny_lsp-64x64.py']
model = dict(
    backbone=dict(type='DenseStackedHourglass', num_stacks=3,
                  fusion='concat'),
    head=dict(num_stages=3))
