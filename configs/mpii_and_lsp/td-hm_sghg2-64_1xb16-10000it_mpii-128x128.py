# The zoo's soft-gated 2 x 64 (Bulat et al., FG 2020; 0.87M parameters) on
# the MPII subset at the zoo's protocol (configs/_base_/mpii_128x128.py):
# validated on held-out MPII train images, tested on the 13 MPII
# validation persons of data/mpii_sample.
_base_ = ['../_base_/mpii_128x128.py']
model = dict(backbone=dict(
    _delete_=True, type='SoftGatedHourglass', num_keypoints=16,
    num_stacks=2, channels=64, stem_channels=(16, 64), gate='channel',
    fusion='concat'))
