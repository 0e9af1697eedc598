# Sec. 5.2.4: concatenation (+ BN-ReLU-1x1 conv back to 256) instead of
# pixel-wise add in front of every hourglass (paper: 89.36 vs 89.91).
_base_ = ['../td-hm_mssh8-256_1xb4-220e_mpii-256x256.py']
model = dict(backbone=dict(fusion='concat'))
