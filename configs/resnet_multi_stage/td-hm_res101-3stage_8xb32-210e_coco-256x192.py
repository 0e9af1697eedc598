# Su et al. triple stage (ResNet-101, 50, 50; sigma 3, 2.5, 2) on COCO 256x192.
_base_ = [
    '../_base_/datasets/coco_256x192.py',
    '../_base_/models/resnet_multi_stage.py',
    '../_base_/schedules/adam_210e.py',
]
sigmas = (3, 2.5, 2)  # one Gaussian sigma per stage
codecs = [dict(_base_.codec, sigma=s) for s in sigmas]
model = dict(
    backbone=dict(num_keypoints=17, depths=(101, 50, 50)),
    head=dict(num_stages=3, in_channels=17, out_channels=17,
              decoder=codecs[-1]))
train_dataloader = dict(batch_size=32, dataset=dict(pipeline=[
    step if step['type'] != 'GenerateTarget' else
    dict(type='GenerateTarget', multilevel=True, encoder=codecs)
    for step in _base_.train_pipeline]))
default_hooks = dict(checkpoint=dict(save_best='coco/AP', rule='greater'))
