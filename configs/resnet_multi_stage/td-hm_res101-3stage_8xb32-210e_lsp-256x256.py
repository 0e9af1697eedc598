# Su et al. triple stage (ResNet-101, 50, 50; sigma 3, 2.5, 2) on LSP 256x256.
_base_ = [
    '../_base_/datasets/lsp_256x256.py',
    '../_base_/models/resnet_multi_stage.py',
    '../_base_/schedules/adam_210e.py',
]
sigmas = (3, 2.5, 2)  # one Gaussian sigma per stage
codecs = [dict(_base_.codec, sigma=s) for s in sigmas]
model = dict(
    backbone=dict(num_keypoints=14, depths=(101, 50, 50)),
    head=dict(num_stages=3, in_channels=14, out_channels=14,
              decoder=codecs[-1]))
train_dataloader = dict(batch_size=32, dataset=dict(pipeline=[
    step if step['type'] != 'GenerateTarget' else
    dict(type='GenerateTarget', multilevel=True, encoder=codecs)
    for step in _base_.train_pipeline]))
# the last checkpoint is the result: LSP has no validation split, and
# keeping the best one on the reported test split would select on the test
# set (docs/evaluation.md)
default_hooks = dict(checkpoint=dict(save_last=True))
