# Residual stacked hourglass (Yoo, Peng, Aggarwal): 5 stacks x 58 channels
# with the symmetric highways, 0.87M parameters.
_base_ = ['../_base_/zoo_lsp+lspet_128x128.py']
num_stacks = 5
model = dict(
    backbone=dict(type='ResidualStackedHourglass', num_stacks=num_stacks,
                  channels=58, stem_channels=(32, 58), num_blocks=1,
                  highways=True),
    head=dict(num_stages=num_stacks))
