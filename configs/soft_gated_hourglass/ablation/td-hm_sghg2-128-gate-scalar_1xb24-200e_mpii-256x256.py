# Table II ablation: gate='scalar' (see the gate-channel config in this folder).
_base_ = ['./td-hm_sghg2-128-gate-channel_1xb24-200e_mpii-256x256.py']
model = dict(backbone=dict(gate='scalar'))
