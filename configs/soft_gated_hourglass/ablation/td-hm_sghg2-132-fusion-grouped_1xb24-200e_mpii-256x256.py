# Table IV ablation: fusion='grouped' (Fig. 2c; the gate-channel config in
# this folder is the concat variant), width-matched to concat's ~3.4M
# budget as Table IV compares them: 132 channels = 3.51M (+2.3%; 128
# would be 3.31M, -3.8%).
_base_ = ['./td-hm_sghg2-128-gate-channel_1xb24-200e_mpii-256x256.py']
model = dict(backbone=dict(fusion='grouped', channels=132,
                           stem_channels=(33, 132)))
