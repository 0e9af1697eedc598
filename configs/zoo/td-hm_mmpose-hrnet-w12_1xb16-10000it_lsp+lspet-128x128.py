# MMPose's HRNet + HeatmapHead at the zoo's budget: HRNet-W32's layout with
# branch widths 12/24/48/96 and a 16-channel first stage, 0.86M
# parameters. MMPose's own modules, scaled by their arguments.
_base_ = ['../_base_/zoo_lsp+lspet_128x128.py']
model = dict(
    backbone=dict(
        _delete_=True, type='HRNet', in_channels=3,
        extra=dict(
            stage1=dict(num_modules=1, num_branches=1, block='BOTTLENECK',
                        num_blocks=(2, ), num_channels=(16, )),
            stage2=dict(num_modules=1, num_branches=2, block='BASIC',
                        num_blocks=(2, 2), num_channels=(12, 24)),
            stage3=dict(num_modules=2, num_branches=3, block='BASIC',
                        num_blocks=(2, 2, 2), num_channels=(12, 24, 48)),
            stage4=dict(num_modules=1, num_branches=4, block='BASIC',
                        num_blocks=(2, 2, 2, 2),
                        num_channels=(12, 24, 48, 96)))),
    head=dict(_delete_=True, type='HeatmapHead', in_channels=12,
              out_channels=14, deconv_out_channels=None,
              decoder=_base_.codec,
              loss=dict(type='KeypointMSELoss', use_target_weight=True)))
