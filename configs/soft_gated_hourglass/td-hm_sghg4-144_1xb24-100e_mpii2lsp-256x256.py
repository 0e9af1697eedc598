# Bulat et al. 2020, Sec. III-C: the MPII model fine-tuned on LSP train +
# LSP-extended for 100 epochs, same lr (RMSprop 2.5e-4), dropped every 25
# epochs (factor 0.1, as for MPII).
#
# Start from the MPII checkpoint converted to LSP's 14 joints (the paper
# keeps 16 outputs and interpolates LSP's missing pelvis and thorax; we
# keep the 14 heatmaps LSP scores instead):
#   python tools/misc/convert_keypoints.py --to lsp \
#       work_dirs/td-hm_sghg4-144_1xb24-200e_mpii-256x256/best_PCK_epoch_200.pth \
#       work_dirs/sghg4-144_mpii_as_lsp.pth
# then train this config (or give another path: --cfg-options load_from=...).
_base_ = ['./td-hm_sghg4-144_1xb24-200e_lsp+lspet-256x256.py']
load_from = 'work_dirs/sghg4-144_mpii_as_lsp.pth'
train_cfg = dict(max_epochs=100, val_interval=5)
param_scheduler = [
    dict(type='MultiStepLR', begin=0, end=100, milestones=[25, 50, 75],
         gamma=0.1, by_epoch=True),
]
