# MPII, top-down 256x256 with 64x64 heatmaps, PCKh@0.5 from the head boxes
# (MMPose's MpiiDataset + MpiiPCKAccuracy).
dataset_type = 'MpiiDataset'
data_root = 'data/mpii/'
input_size = (256, 256)
codec = dict(type='MSRAHeatmap', input_size=input_size, heatmap_size=(64, 64),
             sigma=2)

train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomBBoxTransform', shift_prob=0, rotate_factor=30,
         scale_factor=(0.75, 1.25)),
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
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root,
                 ann_file='annotations/mpii_train.json',
                 data_prefix=dict(img='images/'), pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(type=dataset_type, data_root=data_root,
                 ann_file='annotations/mpii_val.json',
                 # MpiiDataset reads this path as is (not under data_root)
                 headbox_file=data_root + 'annotations/mpii_gt_val.mat',
                 data_prefix=dict(img='images/'), test_mode=True,
                 pipeline=val_pipeline))
test_dataloader = val_dataloader

# MMPose's MpiiPCKAccuracy plus the AUC of PCKh over thresholds 0-0.5
val_evaluator = dict(type='MpiiPCKhAUC')
test_evaluator = val_evaluator
