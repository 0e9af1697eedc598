# Su et al.'s multi-stage network (2 stages of a narrow ResNet-50, sigma 2
# then 1 per stage) on the tiny LSP set-up of stacked_hourglass_tiny_lsp-64x64.py.
_base_ = ['./stacked_hourglass_tiny_lsp-64x64.py']
codecs = [dict(_base_.codec, sigma=s) for s in (2, 1)]
model = dict(
    backbone=dict(_delete_=True, type='ResNetMultiStage', num_keypoints=14,
                  depths=(50, 50), channels=16, base_channels=8),
    head=dict(type='MultiStageHeatmapHead', num_stages=2,
              decoder=codecs[-1]))
train_dataloader = dict(dataset=dict(pipeline=[
    step if step['type'] != 'GenerateTarget' else
    dict(type='GenerateTarget', multilevel=True, encoder=codecs)
    for step in _base_.train_pipeline]))
