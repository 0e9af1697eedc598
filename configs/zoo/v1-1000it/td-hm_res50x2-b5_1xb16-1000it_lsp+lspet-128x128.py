# Model zoo: ResNet-encoder multi-stage network (Su et al.), 2 stages of a
# ResNet-50 at base width 5 (0.46M), decoder width 24, tick/tock chaining,
# per-stage sigma 1.5 then 1 (the paper's arithmetic series ending at the
# last stage's sigma, halved with the heatmap size).
_base_ = ['../../_base_/zoo_v1_lsp+lspet_128x128-1000it.py']
sigmas = (1.5, 1)
codecs = [dict(_base_.codec, sigma=s) for s in sigmas]
model = dict(
    backbone=dict(_delete_=True, type='ResNetMultiStage', num_keypoints=14,
                  depths=(50, 50), channels=24, base_channels=5),
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
