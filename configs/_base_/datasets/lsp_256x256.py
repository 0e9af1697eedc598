# LSP, standard split (im0001-1000 train, im1001-2000 test), top-down
# 256x256 with 64x64 heatmaps, PCK@0.2 with torso normalisation.
# Training on LSP + LSPET: see the configs that use LspetDataset.
dataset_type = 'LspDataset'
data_root = 'data/lsp/'
input_size = (256, 256)
codec = dict(type='MSRAHeatmap', input_size=input_size, heatmap_size=(64, 64),
             sigma=2)

# augmentation of the hourglass papers: rotation +-30 deg, scale 0.75-1.25,
# flip
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
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root, split='train',
                 pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(type=dataset_type, data_root=data_root, split='test',
                 test_mode=True, pipeline=val_pipeline))
test_dataloader = val_dataloader

# PCK@0.2 (torso) per joint group and PCP@0.5 per part, as the papers print
val_evaluator = [dict(type='LspPCKAccuracy', thr=0.2),
                 dict(type='LspPCP', thr=0.5)]
test_evaluator = val_evaluator
