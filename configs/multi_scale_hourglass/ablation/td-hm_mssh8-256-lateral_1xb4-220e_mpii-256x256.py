# Sec. 5.2.3, Fig. 7: pre-processing network with the FPN-like horizontal
# connections (paper: 88.66 with, 89.91 without).
_base_ = ['../td-hm_mssh8-256_1xb4-220e_mpii-256x256.py']
model = dict(backbone=dict(lateral=True))
