from .lsp_pck import LSP_JOINT_GROUPS, LspPCKAccuracy
from .lsp_pcp import LSP_PARTS, LspPCP
from .mpii_pckh import MpiiPCKhAUC
from .mpii_submission import MpiiPredictionsMat
from .tables import paper_tables, tables_to_markdown

__all__ = [
    'LSP_JOINT_GROUPS', 'LSP_PARTS', 'LspPCKAccuracy', 'LspPCP',
    'MpiiPCKhAUC', 'MpiiPredictionsMat', 'paper_tables', 'tables_to_markdown'
]
