"""Growing a trained multi-stage ResNet by stages (utils.stage_growth and
tools/misc/grow_stages.py): the first stages stay bit-identical."""
import pytest
import torch
from mmengine.config import Config
from mmpose.registry import MODELS

from mmpose_hourglass_ext.models.backbones import ResNetMultiStage
from mmpose_hourglass_ext.utils.stage_growth import grow_state_dict

from conftest import ROOT, python_tool


def tiny(depths):
    torch.manual_seed(0)
    model = ResNetMultiStage(depths=depths, num_keypoints=5, channels=16,
                             base_channels=8)
    model.eval()
    return model


def test_stage_growth_keeps_the_first_stages_bit_identical(tmp_path):
    three = tiny((50, 50, 50))
    four = tiny((50, 50, 50, 50))
    grown = grow_state_dict(three.state_dict(), four.state_dict())
    four.load_state_dict(grown)
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        old, new = three(x), four(x)
    for k in range(3):
        assert torch.equal(old[k], new[k])
    assert len(new) == 4 and torch.isfinite(new[3]).all()
    # the new stage starts from the last old one
    assert torch.equal(four.encoders[3].layer1[0].conv1.weight,
                       three.encoders[2].layer1[0].conv1.weight)
    with pytest.raises(ValueError, match='grows into'):
        grow_state_dict(three.state_dict(), three.state_dict())


def test_grow_stages_tool(tmp_path):
    base = ROOT / 'configs/resnet_multi_stage/'
    small = "model = dict(backbone=dict(base_channels=8, channels=16, " \
            "depths={}), head=dict(num_stages={}))\n"
    for name, depths in (('two', (50, 50)), ('three', (50, 50, 50))):
        (tmp_path / f'{name}.py').write_text(
            f"_base_ = ['{base}/td-hm_res101-2stage_8xb32-210e_"
            f"mpii-256x256.py']\n" + small.format(depths, len(depths)))
    cfg = Config.fromfile(tmp_path / 'two.py')
    model = MODELS.build(cfg.model)
    torch.save(dict(state_dict=model.state_dict()), tmp_path / 'two.pth')
    python_tool(ROOT / 'tools/misc/grow_stages.py', tmp_path / 'two.pth',
                tmp_path / 'three.py', tmp_path / 'three.pth')
    state = torch.load(tmp_path / 'three.pth')['state_dict']
    bigger = MODELS.build(Config.fromfile(tmp_path / 'three.py').model)
    bigger.load_state_dict(state)
    for key, value in model.state_dict().items():
        assert torch.equal(state[key], value)
