# Newell et al.'s stacked hourglass (ECCV 2016), the zoo's 2 x 90 (0.85M
# parameters) on the MPII subset at the zoo's protocol
# (configs/_base_/mpii_128x128.py): validated on held-out MPII train images,
# tested on the 13 MPII validation persons of data/mpii_sample.
_base_ = ['../_base_/mpii_128x128.py']
model = dict(backbone=dict(channels=90, stem_channels=(32, 64)))
