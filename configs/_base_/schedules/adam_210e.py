# Runtime + schedule (train_cfg lives in both, so they are one base).
_base_ = ['../default_runtime.py']

# MMPose's hourglass recipe: Adam 5e-4 with linear warm-up, x0.1 at epochs
# 170 and 200 of 210, for a total batch of 256 (8 GPUs x 32); with another
# total batch pass --auto-scale-lr.
train_cfg = dict(by_epoch=True, max_epochs=210, val_interval=10)
optim_wrapper = dict(optimizer=dict(type='Adam', lr=5e-4))
param_scheduler = [
    dict(type='LinearLR', begin=0, end=500, start_factor=0.001,
         by_epoch=False),
    dict(type='MultiStepLR', begin=0, end=210, milestones=[170, 200],
         gamma=0.1, by_epoch=True),
]
auto_scale_lr = dict(base_batch_size=256)
