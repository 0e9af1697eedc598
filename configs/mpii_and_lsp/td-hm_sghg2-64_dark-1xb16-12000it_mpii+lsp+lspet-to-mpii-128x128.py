# The MPII + LSP + LSPET soft-gated model with MPII's 16 joints: the same
# recipe (configs/_base_/mpii+lsp+lspet_128x128.py) with LSP and LSPET
# mapped to MPII's joints by MMPose's KeypointConverter (MPII's pelvis and
# thorax, which LSP lacks, are invisible there: never a target), validated
# on the held-out MPII train images and tested (tools/test.py: the MPII
# table) on the 13 MPII validation persons of data/mpii_sample.
_base_ = ['../_base_/mpii+lsp+lspet_128x128.py']
num_keypoints = 16
dataset_type = 'MpiiDataset'
# MPII joint <- LSP joint j: the inverse of mpii_to_lsp
lsp_to_mpii = [(lsp, mpii) for mpii, lsp in _base_.mpii_to_lsp]
train_dataloader = dict(dataset=dict(
    keypoints_of='MpiiSplitDataset',
    datasets=[
        dict(type='LspDataset', data_root='data/lsp/', split='train',
             pipeline=[dict(type='KeypointConverter', num_keypoints=16,
                            mapping=lsp_to_mpii)]),
        dict(type='LspetDataset', data_root='data/lspet/',
             pipeline=[dict(type='KeypointConverter', num_keypoints=16,
                            mapping=lsp_to_mpii)]),
        dict(pipeline=[], **_base_.mpii_train_part),
    ]))
model = dict(backbone=dict(
    _delete_=True, type='SoftGatedHourglass', num_keypoints=num_keypoints,
    num_stacks=2, channels=64, stem_channels=(16, 64), gate='channel',
    fusion='concat'),
    head=dict(in_channels=num_keypoints, out_channels=num_keypoints))
val_dataloader = dict(batch_size=32,
                      dataset=dict(_delete_=True, **_base_.mpii_held_out))
test_dataloader = dict(batch_size=32,
                       dataset=dict(_delete_=True, **_base_.mpii_sample))
val_evaluator = [_base_.mpii_held_out_evaluator]
test_evaluator = [_base_.mpii_sample_evaluator]
