# The model zoo's protocol (tools/analysis/zoo.py, `make zoo`), v2: the
# first zoo's data, augmentation, batch, optimizer and test (the base below)
# at a converged budget, the 60-minute recipe's schedule: 10,000 iterations
# (~27 passes over the 6000 LSP + LSPET training images), Adam 2.5e-3 with
# drops by 0.2 at 75% and 90%, the last checkpoint tested with flip test on
# the 1000 LSP test images. Entries differ only in `model` (and, where the
# family has per-stage targets, GenerateTarget). All values are the
# package's choices.
_base_ = ['./zoo_v1_lsp+lspet_128x128-1000it.py']

# bf16 autocast + channels-last where the CPU runs bf16 natively, float32
# elsewhere (tools/train.py prints which; --fast-mode on|off forces either)
fast_mode = 'auto'
max_iters = 10000
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[7500, 9000],
         gamma=0.2)
]
# a killed entry resumes from its last checkpoint (500 iterations lost at
# most, ~2 minutes)
default_hooks = dict(checkpoint=dict(interval=500))
