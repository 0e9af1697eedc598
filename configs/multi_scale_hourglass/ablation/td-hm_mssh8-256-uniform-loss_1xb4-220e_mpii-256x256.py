# Sec. 5.2.1 baseline for the loss: uniform weights 1/N on every stack
# (= KeypointMSELoss), everything else as the MSSH MPII config.
_base_ = ['../td-hm_mssh8-256_1xb4-220e_mpii-256x256.py']
model = dict(head=dict(loss=dict(adaptive=False)))
