# The MSSH entry with uniform loss weights: the ablation of its Alg. 1.
_base_ = ['./td-hm_mssh3-80_1xb16-10000it_lsp+lspet-128x128.py']
model = dict(head=dict(loss=dict(adaptive=False)))
