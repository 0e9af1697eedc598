from .lsp import LspDataset, LspetDataset

__all__ = ['LspDataset', 'LspetDataset']
