# ResNet-encoder multi-stage network (Su et al.): two ResNet-50 stages at
# base width 7, decoder width 32, per-stage sigmas, 0.88M parameters.
_base_ = ['../_base_/zoo_lsp+lspet_128x128.py']
sigmas = (1.5, 1)
codecs = [dict(_base_.codec, sigma=s) for s in sigmas]
model = dict(
    backbone=dict(_delete_=True, type='ResNetMultiStage', num_keypoints=14,
                  depths=(50, 50), channels=32, base_channels=7),
    head=dict(type='MultiStageHeatmapHead', num_stages=2,
              decoder=codecs[-1]))
_zoo_pipeline = [
    step if step['type'] != 'GenerateTarget' else
    dict(type='GenerateTarget', multilevel=True, encoder=codecs)
    for step in _base_.train_pipeline]
train_dataloader = dict(dataset=dict(datasets=[
    dict(type='LspDataset', data_root='data/lsp/', split='train',
         pipeline=_zoo_pipeline),
    dict(type='LspetDataset', data_root='data/lspet/',
         pipeline=_zoo_pipeline),
]))
