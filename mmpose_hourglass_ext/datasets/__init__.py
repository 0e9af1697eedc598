from .combined import CombinedAsDataset
from .lsp import LspDataset, LspetDataset
from .mpii import MpiiSplitDataset
from .transforms import OccludedNegativeHeatmap

__all__ = ['CombinedAsDataset', 'LspDataset', 'LspetDataset',
           'MpiiSplitDataset', 'OccludedNegativeHeatmap']
