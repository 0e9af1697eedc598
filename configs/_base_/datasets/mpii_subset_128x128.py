# Our MPII subset (data/mpii: 1287 train-split images, 2074 persons, no
# head boxes; data/mpii_sample: 12 validation images, 13 persons with head
# boxes), as datasets and evaluators that configs pick by name:
#   mpii_train_part  the train-split images not held out (1788 persons)
#   mpii_held_out    every 8th image by name (161 images, 286 persons,
#                    whole images, so no person is on both sides): MMPose's
#                    PCKAccuracy normalised by the person box, since these
#                    persons have no head boxes
#   mpii_sample      the 13 official validation persons with head boxes:
#                    the MPII table (PCKh@0.5 per joint + AUC). 13 persons:
#                    a pipeline check, not a ranking.
# The split (every 8th image) is our choice, not MPII's.
mpii_input_size = (128, 128)
_mpii_val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=mpii_input_size),
    dict(type='PackPoseInputs'),
]
mpii_train_part = dict(
    type='MpiiSplitDataset', data_root='data/mpii/',
    ann_file='annotations/mpii_train.json', data_prefix=dict(img='images/'),
    image_split='train')
mpii_held_out = dict(
    type='MpiiSplitDataset', data_root='data/mpii/',
    ann_file='annotations/mpii_train.json', data_prefix=dict(img='images/'),
    image_split='held_out', test_mode=True, pipeline=_mpii_val_pipeline)
mpii_held_out_evaluator = dict(type='PCKAccuracy', norm_item='bbox')
mpii_sample = dict(
    type='MpiiSplitDataset', data_root='data/mpii_sample/',
    ann_file='annotations/mpii_val.json', data_prefix=dict(img='images/'),
    # MpiiDataset reads this path as is (not under data_root)
    headbox_file='data/mpii_sample/annotations/mpii_gt_val.mat',
    test_mode=True, pipeline=_mpii_val_pipeline)
mpii_sample_evaluator = dict(type='MpiiPCKhAUC')
