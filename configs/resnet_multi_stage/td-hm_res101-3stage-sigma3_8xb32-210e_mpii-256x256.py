# Su et al., triple stage with the single kernel (sigma 3 at every stage).
_base_ = [
    '../_base_/datasets/mpii_256x256.py',
    '../_base_/models/resnet_multi_stage.py',
    '../_base_/schedules/adam_210e.py',
]
sigmas = (3, 3, 3)  # one Gaussian sigma per stage
codecs = [dict(_base_.codec, sigma=s) for s in sigmas]
model = dict(
    backbone=dict(num_keypoints=16, depths=(101, 50, 50)),
    head=dict(num_stages=3, in_channels=16, out_channels=16,
              decoder=codecs[-1]))
train_dataloader = dict(batch_size=32, dataset=dict(pipeline=[
    step if step['type'] != 'GenerateTarget' else
    dict(type='GenerateTarget', multilevel=True, encoder=codecs)
    for step in _base_.train_pipeline]))
default_hooks = dict(checkpoint=dict(save_best='PCK', rule='greater'))
