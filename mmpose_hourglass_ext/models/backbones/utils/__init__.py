from .blocks import PreActBottleneck, init_heatmap_conv, norm_relu_conv
from .fusions import AddFusion, ConcatFusion, upsample_add
from .inception_resnet import InceptionResNetBlock

__all__ = [
    'AddFusion', 'ConcatFusion', 'InceptionResNetBlock', 'PreActBottleneck',
    'init_heatmap_conv', 'norm_relu_conv', 'upsample_add'
]
