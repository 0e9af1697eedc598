# Residual Stacked Hourglass (5 stacks of 16 channels, 2 modules per branch,
# symmetric highways) on the tiny LSP set-up of stacked_hourglass_tiny_lsp-64x64.py.
_base_ = ['./stacked_hourglass_tiny_lsp-64x64.py']
model = dict(
    backbone=dict(type='ResidualStackedHourglass', num_stacks=5,
                  num_blocks=2),
    head=dict(num_stages=5))
