# The zoo's soft-gated 2 x 64 (Bulat et al., FG 2020; 0.87M parameters)
# trained on MPII + LSP + LSPET with MMPose's CombinedDataset (the recipe:
# configs/_base_/mpii+lsp+lspet_128x128.py), LSP's 14 joints, tested on
# the 1000 LSP test images. Goal: LSP PCK@0.2 Total >= 80% in <= 60 minutes
# of training on 2 CPU cores in the fast mode.
_base_ = ['../_base_/mpii+lsp+lspet_128x128.py']
model = dict(backbone=dict(
    _delete_=True, type='SoftGatedHourglass', num_keypoints=14,
    num_stacks=2, channels=64, stem_channels=(16, 64), gate='channel',
    fusion='concat'))
