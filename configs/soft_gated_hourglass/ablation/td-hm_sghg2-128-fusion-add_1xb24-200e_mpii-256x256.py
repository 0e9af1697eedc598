# Table IV ablation: fusion='add' (see the gate-channel config in this
# folder, which is the concat variant).
_base_ = ['./td-hm_sghg2-128-gate-channel_1xb24-200e_mpii-256x256.py']
model = dict(backbone=dict(fusion='add'))
