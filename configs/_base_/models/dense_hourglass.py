# Liu & Ding, DC-hourglass: 8 Newell stacks x 256 whose inputs concatenate
# the stem and every earlier stack's output (1x1 conv back to 256). Set
# num_keypoints / in_channels / out_channels and the decoder in the config.
_base_ = ['./stacked_hourglass.py']
model = dict(
    backbone=dict(type='DenseStackedHourglass', fusion='concat',
                  max_links=None))
