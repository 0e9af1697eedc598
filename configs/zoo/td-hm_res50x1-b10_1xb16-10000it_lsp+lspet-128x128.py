# Su et al.'s Table 1 ablation at the zoo's budget: one ResNet-50 stage,
# widened (base width 10, decoder 40) to the two-stage entry's parameters
# (0.85M vs 0.88M).
_base_ = ['../_base_/zoo_lsp+lspet_128x128.py']
model = dict(
    backbone=dict(_delete_=True, type='ResNetMultiStage', num_keypoints=14,
                  depths=(50, ), channels=40, base_channels=10),
    head=dict(type='MultiStageHeatmapHead', num_stages=1))
