# Bulat et al. 2020, the wider model of Sec. IV-B / Table V "Ours":
# 4 stacks x 256 channels (26.4M params), MPII 256x256, the recipe of the
# 4x144 MPII config (the paper's where legible, ours where lost).
_base_ = ['./td-hm_sghg4-144_1xb24-200e_mpii-256x256.py']
model = dict(backbone=dict(preset='tab7-26M'))
