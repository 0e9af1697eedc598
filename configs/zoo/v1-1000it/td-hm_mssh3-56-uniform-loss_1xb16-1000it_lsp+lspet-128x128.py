# Model zoo: the MSSH entry with uniform keypoint weights (the paper's
# comparison for Algorithm 1): everything else identical.
_base_ = ['./td-hm_mssh3-56_1xb16-1000it_lsp+lspet-128x128.py']
model = dict(head=dict(loss=dict(adaptive=False)))
