"""MPII -> LSP fine-tuning: the checkpoint conversion and the recipe."""
import math
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner
from mmpose.registry import MODELS

import mmpose_hourglass_ext  # noqa: F401
from mmpose_hourglass_ext.utils.keypoint_conversion import (MPII_TO_LSP,
                                                      select_keypoints)

from conftest import (ROOT, SMALL_MODEL, config_on_samples, load_tool,
                      python_tool)

FINETUNE = (ROOT / 'configs' / 'soft_gated_hourglass' /
            'td-hm_sghg4-144_1xb24-100e_mpii2lsp-256x256.py')


def small_model(config, **backbone):
    cfg = Config.fromfile(config)
    cfg.merge_from_dict(dict(model=SMALL_MODEL))
    cfg.model.backbone.update(backbone)
    torch.manual_seed(0)
    return MODELS.build(cfg.model).eval()


def test_lsp_joints_come_from_the_matching_mpii_joints():
    from mmpose_hourglass_ext.datasets.lsp import METAINFO_FILE
    lsp = Config.fromfile(METAINFO_FILE).dataset_info['keypoint_info']
    import mmpose
    mpii = Config.fromfile(Path(mmpose.__file__).parent / '.mim/configs/'
                           '_base_/datasets/mpii.py'
                           ).dataset_info['keypoint_info']
    names = {'neck': 'upper_neck'}
    for j, i in enumerate(MPII_TO_LSP):
        assert mpii[i]['name'] == names.get(lsp[j]['name'], lsp[j]['name'])


def test_converted_checkpoint_loads_and_keeps_the_first_stack(tmp_path):
    mpii = small_model(ROOT / 'configs/soft_gated_hourglass/'
                       'td-hm_sghg4-144_1xb24-200e_mpii-256x256.py')
    src, dst = tmp_path / 'mpii.pth', tmp_path / 'lsp.pth'
    torch.save(dict(state_dict=mpii.state_dict(), meta={}), src)
    python_tool(ROOT / 'tools/misc/convert_keypoints.py', src, dst)
    lsp = small_model(FINETUNE)
    state = torch.load(dst, map_location='cpu')['state_dict']
    lsp.load_state_dict(state, strict=True)  # every shape matches
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        ours, theirs = lsp.backbone(x), mpii.backbone(x)
    assert torch.equal(ours[0], theirs[0][:, list(MPII_TO_LSP)])
    assert torch.isfinite(ours[-1]).all()


def test_a_checkpoint_without_mpii_heatmaps_is_refused():
    with pytest.raises(ValueError, match='no heatmap layer with 16'):
        select_keypoints({'backbone.heatmaps.0.weight': torch.zeros(14, 8)},
                         MPII_TO_LSP, 16)


@pytest.mark.slow
def test_finetune_recipe_trains_from_the_converted_checkpoint(tmp_path):
    cfg = Config.fromfile(FINETUNE)
    assert cfg.param_scheduler[0].milestones == [25, 50, 75]
    assert cfg.train_cfg.max_epochs == 100
    assert cfg.optim_wrapper.optimizer.lr == 2.5e-4
    assert [d.type for d in cfg.train_dataloader.dataset.datasets] == [
        'LspDataset', 'LspetDataset']
    mpii = small_model(ROOT / 'configs/soft_gated_hourglass/'
                       'td-hm_sghg4-144_1xb24-200e_mpii-256x256.py')
    state = select_keypoints(mpii.state_dict(), MPII_TO_LSP, 16)
    ckpt = tmp_path / 'lsp.pth'
    torch.save(dict(state_dict=state, meta={}), ckpt)
    cfg = config_on_samples(cfg, tmp_path, SMALL_MODEL)
    cfg.load_from = str(ckpt)
    runner = Runner.from_cfg(cfg)
    runner.load_or_resume()  # mmengine only warns on mismatched shapes
    assert torch.equal(runner.model.backbone.heatmaps[0].weight,
                       state['backbone.heatmaps.0.weight'])
    runner.train()
    assert math.isfinite(runner.message_hub.get_scalar('train/loss').current())
    metrics = runner.test()
    assert 'PCP@0.5/Total' in metrics and 'PCK@0.2/Total' in metrics


def test_lsp_to_mpii_keeps_shared_joints_and_starts_the_missing_ones():
    """--to mpii: the first stack's heatmaps of every shared joint are the
    LSP model's; pelvis/thorax are the mean of the hips'/shoulders'; the
    new joints' inputs into the next stack start at zero; the converted
    checkpoint loads strictly into the MPII-joint combined config."""
    from mmpose_hourglass_ext.utils.keypoint_conversion import LSP_TO_MPII
    combined = ROOT / 'configs/mpii_and_lsp'
    lsp = small_model(combined / 'td-hm_sghg2-64_dark-1xb16-12000it_'
                      'mpii+lsp+lspet-128x128.py')
    state = select_keypoints(lsp.state_dict(), LSP_TO_MPII, 14)
    mpii = small_model(combined / 'td-hm_sghg2-64_dark-1xb16-12000it_'
                       'mpii+lsp+lspet-to-mpii-128x128.py')
    mpii.load_state_dict(state, strict=True)
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        ours, theirs = mpii.backbone(x), lsp.backbone(x)
    for i, j in enumerate(LSP_TO_MPII):
        expected = (theirs[0][:, j] if not isinstance(j, tuple) else
                    theirs[0][:, list(j)].mean(1))
        torch.testing.assert_close(ours[0][:, i], expected)
    remap = state['backbone.remap_heatmaps.0.weight']
    assert remap[:, 6].abs().sum() == remap[:, 7].abs().sum() == 0
    assert torch.equal(remap[:, 8], lsp.state_dict()[
        'backbone.remap_heatmaps.0.weight'][:, 12])


def test_convert_tool_to_mpii_names_a_wrong_source(tmp_path):
    mpii = small_model(ROOT / 'configs/soft_gated_hourglass/'
                       'td-hm_sghg4-144_1xb24-200e_mpii-256x256.py')
    src, dst = tmp_path / 'mpii.pth', tmp_path / 'out.pth'
    torch.save(dict(state_dict=mpii.state_dict(), meta={}), src)
    with pytest.raises(SystemExit, match=r'no heatmap layer with 14 .*--to '
                       r'mpii converts LSP \(14\) checkpoints'):
        load_tool('tools/misc/convert_keypoints.py').main(
            [str(src), str(dst), '--to', 'mpii'])
    assert not dst.exists()
