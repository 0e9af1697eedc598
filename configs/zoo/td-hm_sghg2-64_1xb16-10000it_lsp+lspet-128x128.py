# Soft-gated HourGlass/U-Net hybrid (Bulat et al., FG 2020), 2 stacks x 64
# channels (0.87M parameters: the zoo's budget), per-channel gate,
# concatenation fusion. Also the 60-minute CPU recipe (`make zoo-60min`):
# float32 it reached LSP PCK@0.2 Total 78.1% in 53 minutes on 2 cores
# (benchmarks/zoo_v1_lsp_cpu_1000it.json).
_base_ = ['../_base_/zoo_lsp+lspet_128x128.py']
model = dict(backbone=dict(
    _delete_=True, type='SoftGatedHourglass', num_keypoints=14,
    num_stacks=2, channels=64, stem_channels=(16, 64), gate='channel',
    fusion='concat'))
