# MSSH on LSP with Eq. 1's amplitude a = -1 for occluded keypoints (Sec.
# 4.1; LSP flags occlusion with 1): the targets of occluded keypoints are
# negative Gaussians at every stack, and decoding takes the peak of
# |heatmap| (SignedMSRAHeatmap). Everything else as the MSSH LSP config.
_base_ = ['./td-hm_mssh8-256_1xb4-220e_lsp-256x256.py']
model = dict(head=dict(decoder=dict(_base_.codecs[-1],
                                    type='SignedMSRAHeatmap')))
train_dataloader = dict(dataset=dict(pipeline=[
    *_base_.train_dataloader.dataset.pipeline[:-1],
    dict(type='OccludedNegativeHeatmap'),
    _base_.train_dataloader.dataset.pipeline[-1]]))
