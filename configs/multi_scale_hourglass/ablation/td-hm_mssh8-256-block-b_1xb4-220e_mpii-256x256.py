# Sec. 5.2.2: inception-resnet-B blocks (down/up-sampling branch added)
# instead of A (paper: 82.95 vs 89.91).
_base_ = ['../td-hm_mssh8-256_1xb4-220e_mpii-256x256.py']
model = dict(backbone=dict(block='inception_b'))
