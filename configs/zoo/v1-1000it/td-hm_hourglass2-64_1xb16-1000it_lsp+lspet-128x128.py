# Model zoo: Newell et al.'s stacked hourglass, the baseline (2 stacks x 64
# channels, the quickstart's model, 0.45M parameters).
_base_ = ['../../_base_/zoo_v1_lsp+lspet_128x128-1000it.py']
