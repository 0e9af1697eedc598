# Model zoo: soft-gated HourGlass/U-Net hybrid (Bulat et al.), 2 stacks x 44
# channels (0.41M, the baseline's budget), concat fusion, gate='none'
# (Table II's learned per-channel gate against the plain skip).
_base_ = ['../../_base_/zoo_v1_lsp+lspet_128x128-1000it.py']
model = dict(backbone=dict(
    _delete_=True, type='SoftGatedHourglass', num_keypoints=14,
    num_stacks=2, channels=44, stem_channels=(11, 44), gate='none',
    fusion='concat'))
