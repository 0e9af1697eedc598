"""Using trained models outside training: MMPose's inference APIs on every
family, tools/demo.py, ONNX export with its parity check, BN folding,
tools/misc/publish_model.py, the shipped checkpoint and the model index."""
import json
from pathlib import Path
import subprocess
import sys
import zipfile

import cv2
import numpy as np
import pytest
import torch

import mmpose_hourglass_ext  # noqa: F401
from conftest import (FAMILY_FOLDERS, ROOT, load_tool, published_models,
                      require_data, run, shipped_lsp_model, tiny_config)

FAMILIES = FAMILY_FOLDERS
SHIPPED_CONFIG, SHIPPED_WEIGHTS = shipped_lsp_model()



def build_model(config: str):
    from mmengine.config import Config
    from mmpose.registry import MODELS
    return MODELS.build(Config.fromfile(config).model)


def randomise_batchnorms(model, seed=0):
    """BN statistics far from their identity initialisation, so that a
    wrong fold or a dropped BN shows in the outputs."""
    gen = torch.Generator().manual_seed(seed)
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            n = m.num_features
            m.running_mean.copy_(torch.rand(n, generator=gen) * 2 - 1)
            m.running_var.copy_(torch.rand(n, generator=gen) * 1.5 + 0.5)
            m.weight.data.copy_(torch.rand(n, generator=gen) + 0.5)
            m.bias.data.copy_(torch.rand(n, generator=gen) - 0.5)
    return model


@pytest.fixture(scope='module')
def family_checkpoints(tmp_path_factory):
    """A checkpoint per family, written as tools/train.py would (weights,
    meta with numpy arrays, optimizer state)."""
    from mmpose.datasets.datasets.utils import parse_pose_metainfo
    from mmpose.registry import DATASETS
    # what mmengine stores: the dataset's parsed metainfo (numpy arrays)
    dataset_meta = parse_pose_metainfo(DATASETS.get('LspDataset').METAINFO)
    folder = tmp_path_factory.mktemp('ckpts')
    paths = {}
    for family in FAMILIES:
        torch.manual_seed(0)
        model = randomise_batchnorms(build_model(tiny_config(family)))
        optim = torch.optim.Adam(model.parameters())
        paths[family] = folder / f'{family}.pth'
        torch.save(dict(
            state_dict=model.state_dict(), optimizer=optim.state_dict(),
            meta=dict(iter=5, dataset_meta=dataset_meta)),
            paths[family])
    return paths


@pytest.fixture(scope='module')
def images(lsp_root):
    coco = require_data('coco_sample')
    return [str(lsp_root / 'images' / 'im1001.jpg'),
            str(sorted((coco / 'train2017').glob('*.jpg'))[0])]


def test_every_config_works_with_mmpose_inferencers():
    """MMPose's Pose2DInferencer reads cfg.data_mode and cfg.dataset_type."""
    from mmengine.config import Config
    from mmpose.registry import DATASETS
    configs = [p for p in (ROOT / 'configs').rglob('*.py')
               if '_base_' not in p.parts and 'metainfo' not in p.stem]
    assert len(configs) > 50
    for path in configs:
        cfg = Config.fromfile(str(path))
        assert cfg.data_mode == 'topdown', path
        assert DATASETS.get(cfg.dataset_type) is not None, path


@pytest.mark.slow
@pytest.mark.parametrize('family', FAMILIES)
def test_inferencer_and_inference_topdown_agree(family, family_checkpoints,
                                                images):
    from mmpose.apis import MMPoseInferencer, inference_topdown
    from mmpose_hourglass_ext.apis.inference import init_pose_model
    config = tiny_config(family)
    inferencer = MMPoseInferencer(pose2d=config,
                                  pose2d_weights=str(family_checkpoints[family]),
                                  device='cpu')
    model = init_pose_model(config, str(family_checkpoints[family]))
    for image in images:
        result = next(inferencer(image, show=False))
        person = result['predictions'][0][0]
        keypoints = np.asarray(person['keypoints'])
        assert keypoints.shape == (14, 2)
        h, w = cv2.imread(image).shape[:2]
        assert person['bbox'][0] == pytest.approx([0, 0, w, h])
        # inside the crop: the box padded by 1.25 (GetBBoxCenterScale) and
        # made square like the 64x64 input; MMPose's decoder puts keypoints
        # whose heatmap has no positive maximum at -1 (outside), score 0
        half = 1.25 * max(w, h) / 2 + 1
        found = np.asarray(person['keypoint_scores']) > 0
        assert found.any()
        assert np.all(np.abs(keypoints[found] - [w / 2, h / 2]) <= half)
        direct = inference_topdown(model, image)[0].pred_instances
        np.testing.assert_allclose(keypoints, direct.keypoints[0], atol=1e-3)


@pytest.mark.slow
def test_shipped_checkpoint_is_accurate_through_the_inferencer(lsp_root):
    """The shipped model through MMPose's inference API, on LSP test images
    with the dataset's person boxes: PCK@0.2 (torso) close to its metafile
    value (78.1 on all 1000 test images)."""
    from mmpose.apis import inference_topdown
    from mmpose.datasets import build_dataset  # noqa: F401
    from mmpose.registry import DATASETS
    from mmpose_hourglass_ext.apis.inference import init_pose_model
    model = init_pose_model(str(SHIPPED_CONFIG), str(SHIPPED_WEIGHTS))
    dataset = DATASETS.build(dict(type='LspDataset', data_root=str(lsp_root),
                                  split='test', indices=60, pipeline=[]))
    hits = []
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        pred = inference_topdown(model, info['img_path'], info['bbox'])[0]
        gt = info['keypoints'][0]
        torso = np.linalg.norm(gt[9] - gt[2])  # left shoulder - right hip
        dist = np.linalg.norm(pred.pred_instances.keypoints[0] - gt, axis=1)
        visible = info['keypoints_visible'][0] > 0
        hits.extend(dist[visible] <= 0.2 * torso)
    assert np.mean(hits) > 0.7, np.mean(hits)


def test_checkpoint_of_another_family_is_refused(family_checkpoints):
    from mmpose_hourglass_ext.apis.inference import init_pose_model
    with pytest.raises(ValueError, match='does not fit the model'):
        init_pose_model(tiny_config('stacked_hourglass'),
                        str(family_checkpoints['multi_scale_hourglass']))


# ------------------------------------------------------------ BN folding

@pytest.mark.parametrize('family', FAMILIES)
def test_bn_folding_keeps_the_heatmaps(family):
    from mmpose_hourglass_ext.apis.export import (LastStageHeatmaps,
                                             count_batchnorms,
                                             fold_batchnorm)
    torch.manual_seed(0)
    net = LastStageHeatmaps(randomise_batchnorms(
        build_model(tiny_config(family)))).eval()
    x = torch.randn(2, 3, 64, 64)
    folded, count = fold_batchnorm(net, x)
    with torch.no_grad():
        ref, out = net(x), folded(x)
    assert (ref - out).abs().max() <= 1e-5 * max(1, ref.abs().max())
    assert count == count_batchnorms(net) - count_batchnorms(folded)
    assert count > 0  # every family has a conv followed by a BN somewhere


def test_bn_folding_refuses_a_fold_across_a_nonlinearity():
    """mmcv folds a BN into the last conv registered before it even when a
    ReLU module sits between them; the check must catch it."""
    from mmpose_hourglass_ext.apis.export import fold_batchnorm
    net = randomise_batchnorms(torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3), torch.nn.ReLU(), torch.nn.BatchNorm2d(4)))
    with pytest.raises(RuntimeError, match='BN folding changed the output'):
        fold_batchnorm(net, torch.randn(1, 3, 8, 8))


# ---------------------------------------------------------------- export

@pytest.mark.slow
@pytest.mark.parametrize('family', FAMILIES)
def test_onnx_export_matches_pytorch(family, family_checkpoints, tmp_path,
                                     lsp_root):
    tool = load_tool('tools/deployment/pytorch2onnx.py')
    out = tmp_path / f'{family}.onnx'
    report = tmp_path / 'report.json'
    images = [str(lsp_root / 'images' / f'im100{i}.jpg') for i in (1, 2, 3)]
    result = tool.main([tiny_config(family), str(family_checkpoints[family]),
                        '--output-file', str(out), '--images', *images,
                        '--repeats', '2', '--report', str(report)])
    assert result['passed'] and out.is_file()
    assert result['max_abs_diff'] <= 1e-4 and result['identical_keypoints']
    assert result['folded'] > 0
    # exported at batch 1, checked at batch 3: the batch axis is dynamic
    assert result['images'] == 3
    import onnx
    graph = onnx.load(str(out)).graph
    assert graph.input[0].type.tensor_type.shape.dim[0].dim_param == 'batch'
    assert json.loads(report.read_text())[f'{family}_tiny_lsp-64x64'][
        'passed']


@pytest.mark.slow
def test_onnx_export_that_fails_the_check_is_not_kept(family_checkpoints,
                                                      tmp_path, lsp_root):
    tool = load_tool('tools/deployment/pytorch2onnx.py')
    out = tmp_path / 'x.onnx'
    with pytest.raises(SystemExit, match='does not match PyTorch'):
        tool.main([tiny_config('stacked_hourglass'),
                   str(family_checkpoints['stacked_hourglass']),
                   '--output-file', str(out), '--atol', '1e-12',
                   '--images', str(lsp_root / 'images' / 'im1001.jpg'),
                   '--repeats', '1'])
    assert not out.exists()


# ------------------------------------------------------------------ demo

@pytest.fixture(scope='module')
def shipped():
    ckpts = sorted((ROOT / 'checkpoints').glob('*.pth'))
    assert 1 <= len(ckpts) <= 2, 'one or two shipped checkpoints'
    assert set(ckpts) == {w for _, w, _, _ in published_models()}
    return str(SHIPPED_CONFIG), str(SHIPPED_WEIGHTS)


@pytest.mark.slow
def test_demo_on_a_folder_with_heatmaps(shipped, lsp_root, tmp_path):
    from mmpose.apis import inference_topdown
    from mmpose_hourglass_ext.apis.inference import init_pose_model
    folder = tmp_path / 'in'
    folder.mkdir()
    for name in ('im1001.jpg', 'im1002.jpg'):
        (folder / name).write_bytes((lsp_root / 'images' / name).read_bytes())
    (folder / 'notes.txt').write_text('not an image, not read')
    out = tmp_path / 'out'
    demo = load_tool('tools/demo.py')
    demo.main([*shipped, str(folder), '--out-dir', str(out), '--heatmaps'])
    saved = json.loads((out / 'keypoints.json').read_text())
    assert sorted(saved['results']) == ['im1001.jpg', 'im1002.jpg']
    assert saved['keypoint_names'][-1] == 'head_top'
    model = init_pose_model(*shipped)
    for name in ('im1001.jpg', 'im1002.jpg'):
        person, = saved['results'][name]
        expected = inference_topdown(model, str(folder / name))[0]
        np.testing.assert_allclose(
            person['keypoints'], expected.pred_instances.keypoints[0],
            atol=0.01)
        overlay = cv2.imread(str(out / 'vis' / name))
        original = cv2.imread(str(folder / name))
        assert overlay.shape == original.shape
        assert np.abs(overlay.astype(int) - original).sum() > 0  # drawn
        grid = cv2.imread(str(out / 'heatmaps' / name.replace('.jpg',
                                                              '.png')))
        assert grid is not None and grid.shape[1] > 5 * grid.shape[0]


@pytest.mark.slow
def test_demo_on_a_video(shipped, lsp_root, tmp_path):
    video = tmp_path / 'clip.mp4'
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*'mp4v'), 5,
                             (128, 160))
    for i in range(1, 5):
        frame = cv2.imread(str(lsp_root / 'images' / f'im100{i}.jpg'))
        writer.write(cv2.resize(frame, (128, 160)))
    writer.release()
    out = tmp_path / 'out'
    load_tool('tools/demo.py').main([*shipped, str(video), '--out-dir',
                                     str(out)])
    saved = json.loads((out / 'keypoints.json').read_text())
    assert sorted(saved['results']) == ['0', '1', '2', '3']
    cap = cv2.VideoCapture(str(out / 'clip_overlay.mp4'))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 4
    ok, frame = cap.read()
    assert ok and frame.shape == (160, 128, 3)


@pytest.mark.slow
def test_demo_boxes_file(shipped, lsp_root, tmp_path):
    demo = load_tool('tools/demo.py')
    image = str(lsp_root / 'images' / 'im1001.jpg')
    boxes = tmp_path / 'boxes.json'
    boxes.write_text(json.dumps({'im1001.jpg': [[10, 20, 80, 150, 0.9]]}))
    results = demo.main([*shipped, image, '--boxes', str(boxes),
                         '--out-dir', str(tmp_path / 'a')])
    assert results['im1001.jpg'][0]['bbox'] == [10, 20, 80, 150]
    boxes.write_text(json.dumps({'im1001.jpg': []}))  # no person
    results = demo.main([*shipped, image, '--boxes', str(boxes),
                         '--out-dir', str(tmp_path / 'b')])
    assert results == {'im1001.jpg': []}
    boxes.write_text(json.dumps({'other.jpg': []}))
    with pytest.raises(SystemExit, match="boxes.json has no boxes for "
                       "'im1001.jpg'"):
        demo.main([*shipped, image, '--boxes', str(boxes)])


def test_demo_names_unreadable_inputs(shipped, tmp_path):
    demo = load_tool('tools/demo.py')
    broken = tmp_path / 'broken.jpg'
    broken.write_bytes(b'not a jpeg')
    with pytest.raises(SystemExit, match='cannot read image .*broken.jpg'):
        demo.main([*shipped, str(broken), '--out-dir', str(tmp_path / 'o')])
    video = tmp_path / 'broken.mp4'
    video.write_bytes(b'not a video')
    with pytest.raises(SystemExit, match='broken.mp4'):
        demo.main([*shipped, str(video), '--out-dir', str(tmp_path / 'o')])
    with pytest.raises(SystemExit, match='detector file .*det.py not found'):
        demo.main([*shipped, str(broken), '--det-config',
                   str(tmp_path / 'det.py'), '--det-checkpoint',
                   str(tmp_path / 'det.pth')])


# ------------------------------------------------------------- publishing

def test_publish_strips_and_loads_without_this_package(family_checkpoints,
                                                       tmp_path):
    tool = load_tool('tools/misc/publish_model.py')
    final = tool.main([str(family_checkpoints['multi_scale_hourglass']),
                       str(tmp_path / 'mssh.pth'), '--config',
                       tiny_config('multi_scale_hourglass')])
    sha = tool.sha256_of(final)
    assert final.endswith(f'mssh-{sha[:8]}.pth')
    # a fresh interpreter without this package (no allowlist) loads it
    # with torch's safe loader
    code = ('import torch, sys; c = torch.load(sys.argv[1], '
            'weights_only=True); print(sorted(c), sorted(c["meta"]), '
            'type(c["meta"]["dataset_meta"]["sigmas"]).__name__)')
    out = subprocess.run([sys.executable, '-c', code, final], check=True,
                         capture_output=True, text=True).stdout
    assert out.strip() == "['meta', 'state_dict'] ['dataset_meta', 'iter'] " \
        'list'
    model = build_model(tiny_config('multi_scale_hourglass'))
    state = torch.load(final, weights_only=True)['state_dict']
    model.load_state_dict(state, strict=True)
    with pytest.raises(SystemExit, match='does not fit the model'):
        tool.main([str(family_checkpoints['multi_scale_hourglass']),
                   str(tmp_path / 'x.pth'), '--config',
                   tiny_config('stacked_hourglass')])


def test_shipped_checkpoints_are_small_published_and_indexed(shipped):
    """Each shipped checkpoint: at most 5 MB, named by its sha256, in its
    config's metafile with that hash, and its metafile result is the run
    that made it (the row marked ``published_as``)."""
    import yaml
    tool = load_tool('tools/misc/publish_model.py')
    rows = load_tool('tools/analysis/model_index.py').zoo_rows()
    for config, ckpt, metafile, entry in published_models():
        assert ckpt.stat().st_size <= 5 * 2**20
        sha = tool.sha256_of(str(ckpt))
        assert ckpt.name.endswith(f'-{sha[:8]}.pth')
        assert entry['Metadata']['Weights sha256'] == sha
        assert entry['Config'] == str(config.relative_to(ROOT))
        row = rows[config.stem]
        assert row['published_as'] == ckpt.name
        for name, value in entry['Results'][0]['Metrics'].items():
            assert value == round(100 * row['metrics'][name], 1), name
        assert metafile == config.parent / 'metafile.yml'
        assert yaml.safe_load(metafile.read_text())


# ------------------------------------------------------------ model index

def test_model_index_is_up_to_date_and_complete():
    import yaml
    tool = load_tool('tools/analysis/model_index.py')
    tool.main(['--check'])  # exits 1 when a metafile is stale
    index = yaml.safe_load((ROOT / 'model-index.yml').read_text())
    listed = []
    for metafile in index['Import']:
        for model in yaml.safe_load((ROOT / metafile).read_text())['Models']:
            assert (ROOT / model['Config']).is_file(), model['Config']
            assert model['Metadata']['Parameters (M)'] > 0
            listed.append(model['Config'])
    expected = sorted(str(p.relative_to(ROOT)) for p in
                      (ROOT / 'configs').rglob('*.py')
                      if '_base_' not in p.parts and 'metainfo' not in p.stem)
    assert sorted(listed) == expected


@pytest.mark.slow
def test_wheel_ships_configs_model_index_and_checkpoint(tmp_path):
    subprocess.run([sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps',
                    '--no-build-isolation', '-w', str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    wheel, = tmp_path.glob('*.whl')
    names = set(zipfile.ZipFile(wheel).namelist())
    prefix = 'mmpose_hourglass_ext/.mim/'
    for path in (ROOT / 'configs').rglob('*'):
        if path.suffix in ('.py', '.yml'):
            assert prefix + str(path.relative_to(ROOT)) in names, path
    assert prefix + 'model-index.yml' in names
    for ckpt in (ROOT / 'checkpoints').glob('*.pth'):
        assert f'{prefix}checkpoints/{ckpt.name}' in names
    # the tools, MMPose-style, for `mim train/test mmpose_hourglass_ext`
    for path in (ROOT / 'tools').rglob('*'):
        if path.suffix in ('.py', '.sh'):
            assert prefix + str(path.relative_to(ROOT)) in names, path
    # a regular install (the wheel in a folder of its own, ahead of the
    # editable one) trains and tests a scope config from a user's folder
    # with its shipped tools
    site = tmp_path / 'site'
    subprocess.run([sys.executable, '-m', 'pip', 'install', '-q',
                    '--no-deps', '--target', str(site), str(wheel)],
                   check=True, capture_output=True)
    tools = site / 'mmpose_hourglass_ext' / '.mim' / 'tools'
    user = tmp_path / 'user'
    user.mkdir()
    (user / 'data').symlink_to(ROOT / 'data')
    (user / 'mine.py').write_text(
        "_base_ = ['mmpose_hourglass_ext::zoo/"
        "td-hm_sghg2-64_1xb16-10000it_lsp+lspet-128x128.py']\n")
    env = dict(PYTHONPATH=str(site))
    out = run([sys.executable, tools / 'train.py', 'mine.py', '--work-dir',
               'work', '--no-validate', '--cfg-options',
               'train_cfg.max_iters=2'], cwd=user, env=env)
    assert 'Iter(train) [2/2]' in out or (user / 'work/iter_2.pth').exists()
    out = run([sys.executable, tools / 'test.py', 'mine.py',
               'work/iter_2.pth', '--work-dir', 'work/test', '--cfg-options',
               'test_dataloader.dataset.indices=4'], cwd=user, env=env)
    assert 'PCK@0.2/Total' in out
    where = run([sys.executable, '-c', 'import mmpose_hourglass_ext as m; '
                 'print(m.__file__)'], cwd=user, env=env)
    assert str(site) in where  # the wheel's copy ran, not the checkout


def test_package_configs_resolve_by_scope(tmp_path):
    """``mmpose_hourglass_ext::<path>`` finds the shipped configs, as
    ``mmpose::`` does MMPose's (once the package is imported)."""
    from mmengine.config import Config
    user = tmp_path / 'my_config.py'
    user.write_text("_base_ = ['mmpose_hourglass_ext::zoo/"
                    "td-hm_sghg2-64_1xb16-10000it_lsp+lspet-128x128.py']\n"
                    'train_cfg = dict(max_iters=10)\n')
    cfg = Config.fromfile(str(user))
    assert cfg.model.backbone.type == 'SoftGatedHourglass'
    assert cfg.train_cfg.max_iters == 10


@pytest.mark.slow
def test_demo_with_a_local_detector(shipped, lsp_root, tmp_path):
    """The MMDetection path: MMPose's RTMDet-nano person config with a
    checkpoint the test writes (random weights; the classification bias
    raised so that it finds "persons"); nothing is downloaded."""
    import mmpose
    from mmdet.apis import init_detector
    from pathlib import Path
    det_config = (Path(mmpose.__file__).parent / '.mim' / 'demo' /
                  'mmdetection_cfg' / 'rtmdet_nano_320-8xb32_coco-person.py')
    torch.manual_seed(0)
    detector = init_detector(str(det_config), None, device='cpu')
    for name, param in detector.named_parameters():
        if 'rtm_cls' in name and name.endswith('bias'):
            param.data.fill_(3.0)  # sigmoid ~0.95: every anchor a person
    det_ckpt = tmp_path / 'det.pth'
    torch.save(dict(state_dict=detector.state_dict(),
                    meta=dict(dataset_meta=dict(classes=('person', )))),
               det_ckpt)
    image = str(lsp_root / 'images' / 'im1001.jpg')
    demo = load_tool('tools/demo.py')
    results = demo.main([*shipped, image, '--det-config', str(det_config),
                         '--det-checkpoint', str(det_ckpt),
                         '--out-dir', str(tmp_path / 'out')])
    persons = results['im1001.jpg']
    assert persons, 'the detector found no box'
    for person in persons:
        x1, y1, x2, y2 = person['bbox']
        assert x2 > x1 and y2 > y1
        assert len(person['keypoints']) == 14


def test_model_names_resolve_to_config_and_published_weights():
    """Our model names where MMPose's inferencer takes a name: through
    resolve_model (MMPose's lookup reads only its own index)."""
    from mmpose_hourglass_ext.apis import init_pose_model, resolve_model
    name = SHIPPED_CONFIG.stem
    config, weights = resolve_model(name)
    assert Path(config).resolve() == SHIPPED_CONFIG.resolve()
    assert weights.endswith('.pth') and Path(weights).is_file()
    model = init_pose_model(name, None)
    assert type(model.backbone).__name__ == 'SoftGatedHourglass'
    with pytest.raises(FileNotFoundError, match='names containing it'):
        resolve_model('sghg2-64')
    with pytest.raises(FileNotFoundError, match='no published weights'):
        resolve_model('td-hm_hourglass2-90_1xb16-10000it_lsp+lspet-128x128')
