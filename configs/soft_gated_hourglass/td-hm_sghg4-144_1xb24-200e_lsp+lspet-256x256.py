# Bulat et al. 2020, "Ours (small)" (4 x 144) trained from scratch on LSP +
# LSP-extended with the MPII config's recipe (lr and augmentation ranges
# are the package's: lost from the text); the paper's own LSP numbers
# come from the MPII -> LSP fine-tuning of the *_mpii2lsp config.
_base_ = [
    '../_base_/datasets/lsp_lspet_256x256.py',
    '../_base_/models/soft_gated_hourglass.py',
    '../_base_/schedules/rmsprop_200e.py',
]
model = dict(
    backbone=dict(num_keypoints=14),
    head=dict(in_channels=14, out_channels=14, decoder=_base_.codec))
# colour jitter on the cropped image, before the targets are drawn
train_pipeline = [*_base_.train_pipeline[:-2],
                  dict(type='PhotometricDistortion'),
                  *_base_.train_pipeline[-2:]]
train_dataloader = dict(batch_size=24, dataset=dict(datasets=[
    dict(d, pipeline=train_pipeline)
    for d in _base_.train_dataloader.dataset.datasets]))
# the last checkpoint is the result: LSP has no validation split, and
# keeping the best one on the reported test split would select on the test
# set (docs/evaluation.md)
default_hooks = dict(checkpoint=dict(save_last=True))
