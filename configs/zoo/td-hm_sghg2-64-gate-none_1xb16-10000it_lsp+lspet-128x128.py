# Bulat et al.'s Table II ablation at the zoo's budget: the same model
# without the soft gate (identity skip in every block).
_base_ = ['./td-hm_sghg2-64_1xb16-10000it_lsp+lspet-128x128.py']
model = dict(backbone=dict(gate='none'))
