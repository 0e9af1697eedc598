# Runtime + schedule (train_cfg lives in both, so they are one base).
_base_ = ['../default_runtime.py']

# Liu & Ding (DC-hourglass), Sec. 3: MSE, Adam with beta1 = 0.1 and
# beta2 = 0.99 as written, lr 1e-4, batch 20, 200 epochs. The text also
# says "0.1 decay factor after each epoch"; taken literally the lr would
# be 1e-14 after ten epochs, so it is not applied: the lr stays 1e-4.
train_cfg = dict(by_epoch=True, max_epochs=200, val_interval=10)
optim_wrapper = dict(
    optimizer=dict(type='Adam', lr=1e-4, betas=(0.1, 0.99)))
param_scheduler = []
auto_scale_lr = dict(base_batch_size=20)
