# Table IV ablation: fusion='add' (Fig. 2a; the gate-channel config in this
# folder is the concat variant). Table IV compares the fusions at one
# ~3.4M budget: add has no projection convs, so the width grows to 132
# (3.37M, -1.9% of concat's 3.44M; 128 would be 3.17M, -7.8%).
_base_ = ['./td-hm_sghg2-128-gate-channel_1xb24-200e_mpii-256x256.py']
model = dict(backbone=dict(fusion='add', channels=132,
                           stem_channels=(33, 132)))
