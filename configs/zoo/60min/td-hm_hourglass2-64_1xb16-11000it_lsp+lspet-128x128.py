# The model zoo's 60-minute CPU recipe: the zoo's protocol (LSP + LSPET,
# 128x128, batch 16, Adam 2.5e-3, drops by 0.2 at 75% and 90%, flip test)
# with the baseline's model trained 11x longer, 11,000 iterations (~29
# passes over the 6000 training images), which fills about 52 minutes of
# 2 CPU cores. Not part of `make zoo` (it lives in this subfolder):
#   python tools/analysis/zoo.py --configs configs/zoo/60min/<this file>
_base_ = ['../../_base_/zoo_lsp+lspet_128x128.py']
max_iters = 11000
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[8250, 9900],
         gamma=0.2)
]
default_hooks = dict(checkpoint=dict(interval=500))
