# MMPose's RTMPose (Jiang et al., 2023) at its smallest published size,
# RTMPose-t: MMDetection's CSPNeXt (deepen 0.167, widen 0.375, channel
# attention) + RTMCCHead (GAU, SimCC coordinate classification), under the
# zoo's protocol (data, augmentation, Adam 2.5e-3, 10,000 iterations, no
# pretrained weights) instead of RTMPose's own (AdamW, 420 epochs,
# ImageNet/AIC-COCO weights, heavy augmentation). Over the zoo's budget
# (see the test's OVER_BUDGET); its 0.87M build is the -c192 entry. The
# SimCC codec settings follow MMPose's RTMPose configs at this input size.
_base_ = ['../_base_/zoo_lsp+lspet_128x128.py']
rtm_widen = 0.375
rtm_channels = int(1024 * rtm_widen)
simcc = dict(type='SimCCLabel', input_size=(128, 128), sigma=(4.0, 4.0),
             simcc_split_ratio=2.0, normalize=False, use_dark=False)
model = dict(
    backbone=dict(_delete_=True, _scope_='mmdet', type='CSPNeXt', arch='P5',
                  expand_ratio=0.5, deepen_factor=0.167,
                  widen_factor=rtm_widen, out_indices=(4, ),
                  channel_attention=True, act_cfg=dict(type='SiLU')),
    head=dict(_delete_=True, type='RTMCCHead', in_channels=rtm_channels,
              out_channels=14, input_size=simcc['input_size'],
              in_featuremap_size=(4, 4),
              simcc_split_ratio=simcc['simcc_split_ratio'],
              final_layer_kernel_size=7,
              gau_cfg=dict(hidden_dims=256, s=128, expansion_factor=2,
                           dropout_rate=0., drop_path=0., act_fn='SiLU',
                           use_rel_bias=False, pos_enc=False),
              loss=dict(type='KLDiscretLoss', use_target_weight=True,
                        beta=10., label_softmax=True),
              decoder=simcc),
    test_cfg=dict(_delete_=True, flip_test=True))
train_pipeline = [
    dict(step, encoder=simcc) if step['type'] == 'GenerateTarget' else step
    for step in _base_.train_pipeline]
train_dataloader = dict(dataset=dict(datasets=[
    dict(type='LspDataset', data_root='data/lsp/', split='train',
         pipeline=train_pipeline),
    dict(type='LspetDataset', data_root='data/lspet/',
         pipeline=train_pipeline),
]))
