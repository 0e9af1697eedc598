# The zoo's HRNet entry (MMPose's HRNet at widths 12-96 + HeatmapHead,
# 0.86M parameters) given the soft-gated 2 x 64's training minutes: the
# zoo measured 37.9 minutes for 10,000 iterations against the soft-gated
# model's 44.0 (same CPU, same fast mode), so 11,600 iterations (44.0 /
# 37.9 x 10,000, rounded), with the same schedule shape.
_base_ = ['../td-hm_mmpose-hrnet-w12_1xb16-10000it_lsp+lspet-128x128.py']
max_iters = 11600
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False,
         milestones=[int(0.75 * max_iters), int(0.9 * max_iters)],
         gamma=0.2)
]
