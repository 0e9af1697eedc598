# Train a stacked hourglass on your own COCO-format keypoint dataset
# (docs/custom_dataset.md). Change the four settings below; everything else
# follows from them. Any family of the package works: replace
# model.backbone (and model.head.num_stages) as the comments at the end show.
num_keypoints = 5  # K: the one place the keypoint count is set
data_root = 'data/my_dataset/'
metainfo = dict(from_file='configs/custom/my_keypoints_metainfo.py')
input_size = (128, 128)  # (w, h)

# the stacked-hourglass model base, and runtime + Adam 5e-4, 210 epochs,
# drops at 170 and 200 (MMPose's recipe)
_base_ = ['../_base_/models/stacked_hourglass.py',
          '../_base_/schedules/adam_210e.py']
dataset_type = 'CocoDataset'  # COCO-format annotation files
codec = dict(type='MSRAHeatmap', input_size=input_size,
             heatmap_size=(input_size[0] // 4, input_size[1] // 4), sigma=1)
model = dict(
    backbone=dict(num_keypoints=num_keypoints, num_stacks=2, channels=64,
                  stem_channels=(32, 64)),
    head=dict(num_stages=2, in_channels=num_keypoints,
              out_channels=num_keypoints, decoder=codec))

train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomBBoxTransform'),
    dict(type='TopdownAffine', input_size=input_size),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs'),
]
val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=input_size),
    dict(type='PackPoseInputs'),
]
train_dataloader = dict(
    batch_size=16, num_workers=2, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root, metainfo=metainfo,
                 ann_file='annotations/train.json',
                 data_prefix=dict(img='images/'), pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32, num_workers=2, persistent_workers=True, drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(type=dataset_type, data_root=data_root, metainfo=metainfo,
                 ann_file='annotations/val.json',
                 data_prefix=dict(img='images/'), test_mode=True,
                 pipeline=val_pipeline))
test_dataloader = val_dataloader
# OKS AP with the metainfo's sigmas, and PCK normalised by the person box
val_evaluator = [
    dict(type='CocoMetric', ann_file=data_root + 'annotations/val.json'),
    dict(type='PCKAccuracy', thr=0.05, norm_item='bbox'),
]
test_evaluator = val_evaluator
default_hooks = dict(checkpoint=dict(save_best='coco/AP', rule='greater'))

# Other families, same K (replace model.backbone and the head's stages):
#   backbone=dict(_delete_=True, type='SoftGatedHourglass',
#                 num_keypoints=num_keypoints, preset='tab1-8.5M'),
#   head=dict(num_stages=4)
#   backbone=dict(type='DenseStackedHourglass', ...num_keypoints...)
#   backbone=dict(_delete_=True, type='ResNetMultiStage',
#                 num_keypoints=num_keypoints, depths=(50, )),
#   head=dict(type='MultiStageHeatmapHead', num_stages=1)
