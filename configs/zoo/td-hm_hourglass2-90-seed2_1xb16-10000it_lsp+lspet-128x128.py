# The Newell baseline again with another seed (the zoo's noise estimate).
_base_ = ['./td-hm_hourglass2-90_1xb16-10000it_lsp+lspet-128x128.py']
randomness = dict(seed=2)
