# The tiny config, killed (os._exit) right after its 5th iteration: the
# interrupted half of the resume test.
_base_ = ['stacked_hourglass_tiny_lsp-64x64.py']

custom_imports = dict(imports=['mmpose_hourglass_ext', 'interrupt_hook'])
custom_hooks = [dict(type='KillAfterIterHook', iteration=5)]
