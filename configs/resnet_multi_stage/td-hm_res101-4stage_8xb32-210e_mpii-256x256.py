# Su et al., quad stage (Tables 3, 5): ResNet-101 then three
# ResNet-50, multi-kernel sigma 3, 2.67, 2.33, 2 (arithmetic, ending at 2).
# Sec. 3 grows it from the triple stage: python tools/misc/grow_stages.py <3-stage
# ckpt> <this config> <out>, then train from it (load_from).
_base_ = ['./td-hm_res101-3stage_8xb32-210e_mpii-256x256.py']
sigmas = (3, 8 / 3, 7 / 3, 2)  # one Gaussian sigma per stage
codecs = [dict(_base_.codec, sigma=s) for s in sigmas]
model = dict(backbone=dict(depths=(101, 50, 50, 50)),
             head=dict(num_stages=len(sigmas), decoder=codecs[-1]))
train_dataloader = dict(dataset=dict(pipeline=[
    step if step['type'] != 'GenerateTarget' else dict(step, encoder=codecs)
    for step in _base_.train_dataloader.dataset.pipeline]))
