# MMPose's SimpleBaseline (its ResNet + HeatmapHead) at the zoo's budget:
# ResNet-18 at base width 16, three deconvolutions of 48 channels, 0.88M
# parameters. MMPose's own modules, scaled by their arguments.
_base_ = ['../_base_/zoo_lsp+lspet_128x128.py']
model = dict(
    backbone=dict(_delete_=True, type='ResNet', depth=18, base_channels=16,
                  stem_channels=16),
    head=dict(_delete_=True, type='HeatmapHead', in_channels=128,
              out_channels=14, deconv_out_channels=(48, 48, 48),
              deconv_kernel_sizes=(4, 4, 4), decoder=_base_.codec,
              loss=dict(type='KeypointMSELoss', use_target_weight=True)))
