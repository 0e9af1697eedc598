from .lsp_pck import LSP_JOINT_GROUPS, LspPCKAccuracy

__all__ = ['LSP_JOINT_GROUPS', 'LspPCKAccuracy']
