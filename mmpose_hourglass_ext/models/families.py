"""The package's model families, listed once: the model index, the
per-family model-zoo pages, the speed tool and the tests read this list.
Adding a variant: docs/models.md, "Adding a variant"."""
from typing import NamedTuple, Optional


class Family(NamedTuple):
    backbone: str        # registered backbone type
    folder: str          # configs/<folder>/
    collection: str      # model-index collection name
    title: str           # the paper's title
    authors: str
    venue: str
    bibtex: str
    # the paper-size MPII config the speed tool times, and its size label
    paper_config: str
    paper_size: str
    arxiv: Optional[str] = None

    @property
    def citation(self) -> str:
        arxiv = f', arXiv:{self.arxiv}' if self.arxiv else ''
        return f'{self.authors}, "{self.title}", {self.venue}{arxiv}'


FAMILIES = (
    Family(
        'StackedHourglass', 'stacked_hourglass', 'StackedHourglass',
        'Stacked Hourglass Networks for Human Pose Estimation',
        'Alejandro Newell, Kaiyu Yang, Jia Deng', 'ECCV 2016',
        '@inproceedings{newell2016stacked,\n'
        '  title={Stacked Hourglass Networks for Human Pose Estimation},\n'
        '  author={Newell, Alejandro and Yang, Kaiyu and Deng, Jia},\n'
        '  booktitle={European Conference on Computer Vision (ECCV)},\n'
        '  year={2016}\n}',
        'configs/stacked_hourglass/td-hm_hourglass8-256_8xb32-210e_mpii-'
        '256x256.py', '8x256', arxiv='1603.06937'),
    Family(
        'SoftGatedHourglass', 'soft_gated_hourglass', 'SoftGatedHourglass',
        'Toward fast and accurate human pose estimation via soft-gated '
        'skip connections',
        'Adrian Bulat, Jean Kossaifi, Georgios Tzimiropoulos, Maja Pantic',
        'IEEE FG 2020',
        '@inproceedings{bulat2020toward,\n'
        '  title={Toward fast and accurate human pose estimation via '
        'soft-gated skip connections},\n'
        '  author={Bulat, Adrian and Kossaifi, Jean and Tzimiropoulos, '
        'Georgios and Pantic, Maja},\n'
        '  booktitle={IEEE International Conference on Automatic Face and '
        'Gesture Recognition (FG)},\n  year={2020}\n}',
        'configs/soft_gated_hourglass/td-hm_sghg4-144_1xb24-200e_mpii-'
        '256x256.py', 'tab1-8.5M', arxiv='2002.11098'),
    Family(
        'MultiScaleStackedHourglass', 'multi_scale_hourglass',
        'MultiScaleStackedHourglass',
        'Multi-Scale Stacked Hourglass Network for Human Pose Estimation',
        'Anonymous authors', 'ICLR 2019 submission (under review)',
        '@misc{anonymous2019multiscale,\n'
        '  title={Multi-Scale Stacked Hourglass Network for Human Pose '
        'Estimation},\n  author={Anonymous},\n'
        '  note={Submitted to the International Conference on Learning '
        'Representations (ICLR)},\n  year={2019}\n}',
        'configs/multi_scale_hourglass/td-hm_mssh8-256_1xb4-220e_mpii-'
        '256x256.py', '8x256'),
    Family(
        'DenseStackedHourglass', 'dense_hourglass', 'DenseStackedHourglass',
        'Dense-connected Stacked Hourglass Networks for Human Pose '
        'Estimation', 'H. Liu, C. Ding', 'project report',
        '@misc{liu2019dense,\n'
        '  title={Dense-connected Stacked Hourglass Networks for Human Pose '
        'Estimation},\n  author={Liu, H. and Ding, C.},\n'
        '  note={Project report}\n}',
        'configs/dense_hourglass/td-hm_dchg8-256_8xb32-210e_mpii-'
        '256x256.py', '8x256'),
    Family(
        'ResidualStackedHourglass', 'residual_stacked_hourglass',
        'ResidualStackedHourglass',
        'Residual Stacked Hourglass Networks for Human Pose Estimation',
        'Sun Jay Yoo, Kevin Peng, Manan Aggarwal',
        'course project poster (601.482 Machine Learning: Deep Learning, '
        'Spring 2019)',
        '@misc{yoo2019residual,\n'
        '  title={Residual Stacked Hourglass Networks for Human Pose '
        'Estimation},\n  author={Yoo, Sun Jay and Peng, Kevin and '
        'Aggarwal, Manan},\n  note={Course project poster, 601.482 Machine '
        'Learning: Deep Learning},\n  year={2019}\n}',
        'configs/residual_stacked_hourglass/td-hm_rshg5-256_1xb16-200e_'
        'mpii-256x256.py', '5x256'),
    Family(
        'ResNetMultiStage', 'resnet_multi_stage', 'ResNetMultiStage',
        'Improvement Multi-Stage Model for Human Pose Estimation',
        'Zhihui Su, Ming Ye, Guohui Zhang, Lei Dai, Jianda Sheng',
        'technical report (Ping An Technology), 2019',
        '@misc{su2019improvement,\n'
        '  title={Improvement Multi-Stage Model for Human Pose '
        'Estimation},\n  author={Su, Zhihui and Ye, Ming and Zhang, Guohui '
        'and Dai, Lei and Sheng, Jianda},\n  year={2019}\n}',
        'configs/resnet_multi_stage/td-hm_res50-1stage_8xb32-210e_mpii-'
        '256x256.py', 'R50'),
)

BY_BACKBONE = {family.backbone: family for family in FAMILIES}
BY_FOLDER = {family.folder: family for family in FAMILIES}
