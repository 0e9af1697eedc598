"""docs/custom_dataset.md end to end: a K=5 keypoint subset of the real COCO
sample, written here in COCO format, trained for a few iterations with the
shipped example config (K set once) and tested."""
import json

import numpy as np
import pytest
import torch

from conftest import ROOT, python_tool, require_data

EXAMPLE = ROOT / 'configs' / 'custom' / \
    'td-hm_hourglass2-64_1xb16-210e_my-keypoints-128x128.py'
# nose, left/right shoulder, left/right hip in COCO's 17
SUBSET = [0, 5, 6, 11, 12]


def write_subset(coco_root, out):
    coco = json.loads(
        (coco_root / 'annotations' / 'person_keypoints_train2017.json')
        .read_text())
    names = coco['categories'][0]['keypoints']
    annotations = []
    for ann in coco['annotations']:
        kpts = np.array(ann['keypoints']).reshape(-1, 3)[SUBSET]
        if (kpts[:, 2] > 0).sum() < 2:
            continue
        annotations.append(dict(ann, keypoints=kpts.reshape(-1).tolist(),
                                num_keypoints=int((kpts[:, 2] > 0).sum())))
    category = dict(coco['categories'][0],
                    keypoints=[names[i] for i in SUBSET], skeleton=[])
    (out / 'annotations').mkdir(parents=True)
    for split in ('train', 'val'):
        (out / 'annotations' / f'{split}.json').write_text(json.dumps(
            dict(coco, annotations=annotations, categories=[category])))
    (out / 'images').symlink_to(coco_root / 'train2017')
    return len(annotations)


@pytest.mark.slow
def test_five_keypoint_dataset_trains_and_tests(tmp_path):
    coco_root = require_data('coco_sample')
    data = tmp_path / 'my_dataset'
    assert write_subset(coco_root, data) > 20
    config = tmp_path / 'five.py'
    config.write_text(
        f"_base_ = ['{EXAMPLE}']\n"
        f"data_root = '{data}/'\n"
        "train_dataloader = dict(batch_size=4, num_workers=0,\n"
        "    persistent_workers=False, dataset=dict(data_root=data_root))\n"
        "val_dataloader = dict(batch_size=8, num_workers=0,\n"
        "    persistent_workers=False, dataset=dict(data_root=data_root))\n"
        "test_dataloader = val_dataloader\n"
        "val_evaluator = [dict(type='CocoMetric',\n"
        "    ann_file=data_root + 'annotations/val.json'),\n"
        "    dict(type='PCKAccuracy', thr=0.05, norm_item='bbox')]\n"
        "test_evaluator = val_evaluator\n"
        "train_cfg = dict(max_epochs=1, val_interval=1)\n"
        "default_hooks = dict(logger=dict(interval=1))\n")
    out = python_tool(ROOT / 'tools/train.py', config, '--work-dir',
                      tmp_path / 'work')
    assert 'coco/AP' in out  # validation ran on the 5-keypoint set
    ckpt = tmp_path / 'work' / 'epoch_1.pth'
    state = torch.load(ckpt, map_location='cpu')['state_dict']
    heatmap_convs = [v for k, v in state.items()
                     if k.endswith('weight') and v.ndim == 4
                     and v.shape[0] == 5]
    assert heatmap_convs  # the backbone predicts K=5 heatmaps
    python_tool(ROOT / 'tools/test.py', config, ckpt, '--work-dir',
                tmp_path / 'work', '--out', tmp_path / 'm.json')
    metrics = json.loads((tmp_path / 'm.json').read_text())
    assert 0 <= metrics['coco/AP'] <= 1 and 0 <= metrics['PCK'] <= 1


def test_disagreeing_keypoint_counts_name_the_settings(tmp_path):
    config = tmp_path / 'wrong.py'
    config.write_text(f"_base_ = ['{EXAMPLE}']\n"
                      "model = dict(backbone=dict(num_keypoints=17))\n")
    with pytest.raises(pytest.fail.Exception) as err:
        python_tool(ROOT / 'tools/train.py', config, '--work-dir',
                    tmp_path / 'work')
    message = str(err.value)
    assert 'keypoint counts of this config disagree' in message
    assert 'model.backbone.num_keypoints = 17' in message
    assert 'model.head.out_channels = 5' in message
