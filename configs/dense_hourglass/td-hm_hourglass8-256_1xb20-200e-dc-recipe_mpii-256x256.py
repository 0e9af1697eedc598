# Table 1's baseline of the DC-hourglass paper (Liu & Ding): Newell's plain
# 8-stack hourglass trained and tested exactly as the DC model next to it
# (td-hm_dchg8-256_1xb20-200e_mpii-256x256.py: Adam beta1=0.1, beta2=0.99,
# lr 1e-4, batch 20, MSE, no flip test, plain argmax), so the two rows
# differ only in the dense links.
_base_ = ['./td-hm_dchg8-256_1xb20-200e_mpii-256x256.py']
model = dict(backbone=dict(_delete_=True, type='StackedHourglass',
                           num_keypoints=16, num_stacks=8, channels=256))
