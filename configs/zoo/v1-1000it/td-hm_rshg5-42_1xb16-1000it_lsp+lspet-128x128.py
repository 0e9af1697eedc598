# Model zoo: residual stacked hourglass (Yoo et al.), 5 stacks x 42 channels
# (0.47M), highways 1->5 and 2->4, one residual module per branch (the
# paper-size num_blocks=2 is our fit to 31.1M, not a stated value).
_base_ = ['../../_base_/zoo_v1_lsp+lspet_128x128-1000it.py']
num_stacks = 5
model = dict(
    backbone=dict(type='ResidualStackedHourglass', num_stacks=num_stacks,
                  channels=42, stem_channels=(32, 42), num_blocks=1,
                  highways=True),
    head=dict(num_stages=num_stacks))
