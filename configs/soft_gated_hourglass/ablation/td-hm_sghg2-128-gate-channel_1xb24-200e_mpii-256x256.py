# Ablation model of Tables II and IV (Bulat et al. 2020): 2 stacks x 128
# features (3.4M params) on MPII, the 4x144 MPII config's recipe. This one is the
# paper's choice (per-channel gate, concat fusion); the other configs in
# this folder change one of the two:
#   Table II (gate):   gate-none (identity skip), gate-fixed (alpha not
#                      learned), gate-scalar, gate-channel
#   Table IV (fusion): sghg2-132-fusion-add (Fig. 2a), this (concat, Fig. 2b),
#                      sghg2-132-fusion-grouped (Fig. 2c); those two are
#                      width-matched to this one within 3% of its params
_base_ = ['../td-hm_sghg4-144_1xb24-200e_mpii-256x256.py']
num_stacks = 2
model = dict(
    backbone=dict(preset='tab4-3.4M', gate='channel', fusion='concat'),
    head=dict(num_stages=num_stacks))
