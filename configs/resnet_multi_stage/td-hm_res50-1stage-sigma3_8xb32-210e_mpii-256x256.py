# Su et al., Table 1 single stage ResNet-50 with the single kernel
# (sigma 3, as Table 1 was trained).
_base_ = ['./td-hm_res50-1stage_8xb32-210e_mpii-256x256.py']
sigmas = (3, )  # one Gaussian sigma per stage
codecs = [dict(_base_.codec, sigma=s) for s in sigmas]
model = dict(backbone=dict(depths=(50, )),
             head=dict(num_stages=len(sigmas), decoder=codecs[-1]))
train_dataloader = dict(dataset=dict(pipeline=[
    step if step['type'] != 'GenerateTarget' else dict(step, encoder=codecs)
    for step in _base_.train_dataloader.dataset.pipeline]))
