# Dense-connected stacked hourglass (Liu and Ding): 4 stacks x 64 channels,
# every hourglass reading all earlier ones (concat fusion), 0.89M
# parameters.
_base_ = ['../_base_/zoo_lsp+lspet_128x128.py']
num_stacks = 4
model = dict(
    backbone=dict(type='DenseStackedHourglass', num_stacks=num_stacks,
                  channels=64, stem_channels=(32, 64), fusion='concat'),
    head=dict(num_stages=num_stacks))
