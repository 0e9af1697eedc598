# Sec. 5.2.2: Newell's residual bottleneck instead of inception-resnet-A
# (paper: 89.19 vs 89.91).
_base_ = ['../td-hm_mssh8-256_1xb4-220e_mpii-256x256.py']
model = dict(backbone=dict(block='residual'))
