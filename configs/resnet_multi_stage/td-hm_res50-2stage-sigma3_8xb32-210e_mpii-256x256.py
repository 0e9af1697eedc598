# Su et al., Table 1 double stage ResNet-50 + ResNet-50, single
# kernel (sigma 3).
_base_ = ['./td-hm_res101-2stage-sigma3_8xb32-210e_mpii-256x256.py']
sigmas = (3, 3)  # one Gaussian sigma per stage
codecs = [dict(_base_.codec, sigma=s) for s in sigmas]
model = dict(backbone=dict(depths=(50, 50)),
             head=dict(num_stages=len(sigmas), decoder=codecs[-1]))
train_dataloader = dict(dataset=dict(pipeline=[
    step if step['type'] != 'GenerateTarget' else dict(step, encoder=codecs)
    for step in _base_.train_dataloader.dataset.pipeline]))
