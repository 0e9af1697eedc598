# MMPose's HourglassNet at the smallest size it can be built: its stem is
# fixed at 256 channels (0.94M parameters on its own), so the zoo's 0.87M
# budget cannot be met with MMPose's module; 1 stack, 3 downsamplings,
# inner widths 32: 4.27M parameters. A reference row, over budget (the zoo
# test names it).
_base_ = ['../_base_/zoo_lsp+lspet_128x128.py']
model = dict(
    backbone=dict(_delete_=True, type='HourglassNet', num_stacks=1,
                  downsample_times=3, stage_channels=(256, 32, 32, 32),
                  stage_blocks=(1, 1, 1, 1), feat_channel=32),
    head=dict(_delete_=True, type='CPMHead', in_channels=32, out_channels=14,
              num_stages=1, deconv_out_channels=None, decoder=_base_.codec,
              loss=dict(type='KeypointMSELoss', use_target_weight=True)))
