# Bulat et al. 2020, "Ours (small)": soft-gated HourGlass/U-Net hybrid,
# 4 stacks x 144 channels (8.4M params), on MPII 256x256.
# The paper's recipe (Sec. III-C): RMSprop, 200 epochs, batch 24, weight
# decay 0, drops at epochs 75/100/150, random rotation, scaling, flip and
# colour jitter. Its numbers for the lr endpoints and the rotation and
# scale ranges are lost from the text; these are the package's choices,
# the usual values of Newell et al.: lr 2.5e-4 (drop factor 0.1), rotation
# +-30 degrees, scale 0.75-1.25 (the dataset base's).
_base_ = [
    '../_base_/datasets/mpii_256x256.py',
    '../_base_/models/soft_gated_hourglass.py',
    '../_base_/schedules/rmsprop_200e.py',
]
model = dict(
    backbone=dict(num_keypoints=16),
    head=dict(in_channels=16, out_channels=16, decoder=_base_.codec))
# colour jitter on the cropped image, before the targets are drawn
train_dataloader = dict(batch_size=24, dataset=dict(pipeline=[
    *_base_.train_pipeline[:-2], dict(type='PhotometricDistortion'),
    *_base_.train_pipeline[-2:]]))
default_hooks = dict(checkpoint=dict(save_best='PCK', rule='greater'))
