# The zoo's CPU protocol (zoo_lsp+lspet_128x128.py: 128x128, batch 16,
# 10,000 iterations of Adam 2.5e-3, fast mode auto) on MPII's 16 joints:
# trained on the train part of our MPII subset, validated at the end on the
# held-out images (MMPose's PCKAccuracy, person-box normalised) and tested
# (tools/test.py) on the 13 official validation persons of
# data/mpii_sample (the MPII table: PCKh@0.5 + AUC; a pipeline check, not a
# ranking). The datasets: _base_/datasets/mpii_subset_128x128.py.
_base_ = ['./zoo_lsp+lspet_128x128.py',
          './datasets/mpii_subset_128x128.py']
num_keypoints = 16
dataset_type = 'MpiiDataset'
model = dict(backbone=dict(num_keypoints=num_keypoints),
             head=dict(in_channels=num_keypoints,
                       out_channels=num_keypoints))
train_dataloader = dict(dataset=dict(
    _delete_=True, pipeline=_base_.train_pipeline, **_base_.mpii_train_part))
val_dataloader = dict(batch_size=32,
                      dataset=dict(_delete_=True, **_base_.mpii_held_out))
test_dataloader = dict(batch_size=32,
                       dataset=dict(_delete_=True, **_base_.mpii_sample))
val_evaluator = [_base_.mpii_held_out_evaluator]
test_evaluator = [_base_.mpii_sample_evaluator]
