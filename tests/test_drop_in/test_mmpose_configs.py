"""Our backbones inside MMPose's own configs, trained and tested by
MMPose's own tools (its installed ``.mim/tools``), as docs/drop_in.md tells
a user: inherit the config through the ``mmpose::`` scope, swap the
backbone (``out='features'``) and change the one or two head settings the
docs name. Real samples (data/mpii_sample, data/coco_sample), one short
epoch at the configs' own 256x256 input, small widths for CPU."""
import os
from pathlib import Path

import pytest
import torch

from conftest import SMALL_BACKBONES, require_data, run_in_process

MPII_RES50 = ('mmpose::body_2d_keypoint/topdown_heatmap/mpii/'
              'td-hm_res50_8xb64-210e_mpii-256x256.py')
COCO_HOURGLASS52 = ('mmpose::body_2d_keypoint/topdown_heatmap/coco/'
                    'td-hm_hourglass52_8xb32-210e_coco-256x256.py')
C = 16  # feature width of the small models (conftest.SMALL_BACKBONES)
FAMILIES = SMALL_BACKBONES
# what docs/drop_in.md tells users to change in each MMPose config
USER_CONFIGS = {
    'mpii': (MPII_RES50, 16,
             "head=dict(in_channels={c}, deconv_out_channels=None)"),
    'coco': (COCO_HOURGLASS52, 17,
             "head=dict(in_channels={c}, num_stages={stages})"),
}
# the real samples instead of the full datasets, and a short schedule
SAMPLES = {
    'mpii': """
data_root = 'data/mpii_sample/'
_data = dict(data_root=data_root, ann_file='annotations/mpii_val.json',
             indices=4)
train_dataloader = dict(batch_size=4, num_workers=0, persistent_workers=False,
                        dataset=_data)
val_dataloader = dict(batch_size=4, num_workers=0, persistent_workers=False,
                      dataset=dict(_data, headbox_file=data_root +
                                   'annotations/mpii_gt_val.mat'))
test_dataloader = val_dataloader
""",
    'coco': """
data_root = 'data/coco_sample/'
_ann = 'annotations/person_keypoints_train2017.json'
_data = dict(data_root=data_root, ann_file=_ann, indices=4,
             data_prefix=dict(img='train2017/'))
train_dataloader = dict(batch_size=4, num_workers=0, persistent_workers=False,
                        dataset=_data)
val_dataloader = dict(batch_size=4, num_workers=0, persistent_workers=False,
                      dataset=dict(_data, bbox_file=None))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + _ann)
test_evaluator = val_evaluator
""",
}
SCHEDULE = """
train_cfg = dict(max_epochs=1, val_interval=1)
param_scheduler = []
default_hooks = dict(logger=dict(interval=1))
"""


def mmpose_tool(name: str) -> Path:
    import mmpose
    return Path(os.path.dirname(mmpose.__file__)) / '.mim' / 'tools' / name


def run_mmpose_tool(capfd, name: str, *args) -> str:
    """MMPose's own tool, as ``python tools/<name> args`` runs it, in this
    process (conftest.run_in_process: a minute saved over twelve runs)."""
    return run_in_process(capfd, mmpose_tool(name), *args)


def user_config(folder: Path, family: str, dataset: str) -> Path:
    """The user's config as docs/drop_in.md writes it, plus the samples."""
    base, keypoints, head = USER_CONFIGS[dataset]
    backbone = dict(type=family, num_keypoints=keypoints, out='features',
                    **FAMILIES[family])
    stages = len(backbone.get('depths', ())) or backbone['num_stacks']
    (folder / 'user.py').write_text(
        f"_base_ = ['{base}']\n"
        "custom_imports = dict(imports=['mmpose_hourglass_ext'],\n"
        "                      allow_failed_imports=False)\n"
        f"model = dict(\n    backbone=dict(_delete_=True, **{backbone!r}),\n"
        f"    {head.format(c=C, stages=stages)})\n")
    (folder / 'on_samples.py').write_text(
        "_base_ = ['./user.py']\n" + SAMPLES[dataset] + SCHEDULE)
    return folder / 'on_samples.py'


@pytest.mark.slow
@pytest.mark.parametrize('dataset', ['mpii', 'coco'])
@pytest.mark.parametrize('family', sorted(FAMILIES))
def test_backbone_trains_in_mmposes_config_with_mmposes_tools(
        family, dataset, tmp_path, capfd):
    require_data(f'{dataset}_sample')
    config = user_config(tmp_path, family, dataset)
    work = tmp_path / 'work'
    out = run_mmpose_tool(capfd, 'train.py', config, '--work-dir', work)
    assert 'Epoch(train) [1]' in out
    assert ('Epoch(val) [1]' in out and
            ('PCK' in out if dataset == 'mpii' else 'coco/AP' in out))
    ckpt = torch.load(work / 'epoch_1.pth', map_location='cpu',
                      weights_only=False)
    assert any(k.startswith('backbone.') for k in ckpt['state_dict'])
    if family == 'SoftGatedHourglass' and dataset == 'mpii':
        # and MMPose's test.py reads the trained checkpoint back
        tested = run_mmpose_tool(capfd, 'test.py', config,
                                 work / 'epoch_1.pth', '--work-dir',
                                 tmp_path / 'test')
        assert 'Epoch(test)' in tested and 'PCK' in tested
