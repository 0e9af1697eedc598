# DC-hourglass (8 stacks x 256, dense concat links) on LSP 256x256
# with the standard hourglass recipe of configs/stacked_hourglass (Adam
# 5e-4, 210 epochs), for a comparison with the Newell baseline that
# differs only in the dense links.
_base_ = [
    '../_base_/datasets/lsp_256x256.py',
    '../_base_/models/stacked_hourglass.py',
    '../_base_/schedules/adam_210e.py',
]
model = dict(
    backbone=dict(type='DenseStackedHourglass', num_keypoints=14,
                  fusion='concat', max_links=None),
    head=dict(in_channels=14, out_channels=14, decoder=_base_.codec))
default_hooks = dict(checkpoint=dict(save_best='PCK@0.2/Total', rule='greater'))
