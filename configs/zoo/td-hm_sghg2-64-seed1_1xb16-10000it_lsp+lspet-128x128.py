# The soft-gated entry again with another seed (the zoo's noise estimate for
# its best family so far).
_base_ = ['./td-hm_sghg2-64_1xb16-10000it_lsp+lspet-128x128.py']
randomness = dict(seed=1)
