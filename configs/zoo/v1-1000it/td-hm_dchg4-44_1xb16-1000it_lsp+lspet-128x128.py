# Model zoo: DC-hourglass (Liu & Ding), 4 stacks x 44 channels (0.43M):
# stacks 1-3 read the stem and every earlier stack's output, concatenated
# and projected by a 1x1 conv.
_base_ = ['../../_base_/zoo_v1_lsp+lspet_128x128-1000it.py']
num_stacks = 4
model = dict(
    backbone=dict(type='DenseStackedHourglass', num_stacks=num_stacks,
                  channels=44, stem_channels=(32, 44), fusion='concat'),
    head=dict(num_stages=num_stacks))
