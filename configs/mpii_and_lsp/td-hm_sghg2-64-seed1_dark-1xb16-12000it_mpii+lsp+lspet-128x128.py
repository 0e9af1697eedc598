# The MPII + LSP + LSPET soft-gated entry again with another seed.
_base_ = ['./td-hm_sghg2-64_dark-1xb16-12000it_mpii+lsp+lspet-128x128.py']
randomness = dict(seed=1)
