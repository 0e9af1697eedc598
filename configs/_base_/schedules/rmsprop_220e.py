# Runtime + schedule of the MSSH paper (Sec. 5.1.3): RMSProp,
# lr 2.5e-4 for 220 epochs, dropped at epochs 175 and 200, batch 4.
# The text says "dropped by 150"; no factor of 150 fits a schedule (and
# lr / 150 twice is 1.1e-8), so the usual factor 0.1 is used.
_base_ = ['../default_runtime.py']

train_cfg = dict(by_epoch=True, max_epochs=220, val_interval=10)
optim_wrapper = dict(
    optimizer=dict(type='RMSprop', lr=2.5e-4, weight_decay=0.))
param_scheduler = [
    dict(type='MultiStepLR', begin=0, end=220, milestones=[175, 200],
         gamma=0.1, by_epoch=True),
]
auto_scale_lr = dict(base_batch_size=4)
