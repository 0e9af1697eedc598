# The smallest soft-gated preset (Table III, 1 stack, 0.5M params) on the
# tiny LSP set-up of stacked_hourglass_tiny_lsp-64x64.py, for a few iterations.
_base_ = ['./stacked_hourglass_tiny_lsp-64x64.py']
model = dict(
    backbone=dict(_delete_=True, type='SoftGatedHourglass', num_keypoints=14,
                  preset='tab3-0.5M'),
    head=dict(num_stages=1))
