# The LSP papers' training protocol: LSP train (1000 images) + LSP-extended
# (10,000 images, data/lspet/) for training, LSP test for testing, at
# 256x256. Both datasets share LSP's 14-joint metainfo, so mmengine's
# ConcatDataset joins them as they are.
_base_ = ['./lsp_256x256.py']
train_dataloader = dict(dataset=dict(
    _delete_=True,
    type='ConcatDataset',
    datasets=[
        dict(type='LspDataset', data_root='data/lsp/', split='train',
             pipeline=_base_.train_pipeline),
        dict(type='LspetDataset', data_root='data/lspet/',
             pipeline=_base_.train_pipeline),
    ]))
