# MMPose's RTMPose-t scaled to the zoo's 0.87M-parameter budget (0.90M):
# CSPNeXt at widen 0.1875 (192 channels out) and a GAU of 128 hidden dims
# (our choices; RTMPose publishes no size this small), everything else as
# the RTMPose-t entry.
_base_ = ['./td-simcc_mmpose-rtmpose-t_1xb16-10000it_lsp+lspet-128x128.py']
rtm_widen = 0.1875
model = dict(
    backbone=dict(widen_factor=rtm_widen),
    head=dict(in_channels=int(1024 * rtm_widen),
              gau_cfg=dict(hidden_dims=128)))
