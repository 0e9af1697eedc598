# Newell et al.'s stacked hourglass (ECCV 2016), the baseline: 2 stacks,
# width 90 (0.85M parameters, the zoo's budget), stem (32, 64).
_base_ = ['../_base_/zoo_lsp+lspet_128x128.py']
model = dict(backbone=dict(channels=90, stem_channels=(32, 64)))
