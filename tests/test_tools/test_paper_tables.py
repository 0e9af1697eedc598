"""tools/test.py prints and writes the papers' tables on the real samples
of LSP, MPII and COCO."""
import json

import pytest
import torch
from mmengine.config import Config
from mmpose.registry import MODELS

import mmpose_hourglass_ext  # noqa: F401

from conftest import ROOT, SMALL_MODEL, config_on_samples, python_tool

pytestmark = pytest.mark.slow
CASES = {
    'lsp': ('td-hm_hourglass8-256_8xb32-210e_lsp-256x256.py',
            ['LSP PCK@0.2', 'LSP PCP@0.5']),
    'mpii': ('td-hm_hourglass8-256_8xb32-210e_mpii-256x256.py',
             ['MPII PCKh@0.5']),
    'coco': ('td-hm_hourglass8-256_8xb32-210e_coco-256x192.py',
             ['COCO keypoints']),
}


@pytest.mark.parametrize('dataset', list(CASES))
def test_test_tool_writes_the_papers_tables(dataset, tmp_path):
    name, titles = CASES[dataset]
    cfg = Config.fromfile(ROOT / 'configs' / 'stacked_hourglass' / name)
    cfg = config_on_samples(cfg, tmp_path / 'work', SMALL_MODEL)
    config = tmp_path / 'small.py'
    cfg.dump(config)
    torch.manual_seed(0)
    ckpt = tmp_path / 'model.pth'
    torch.save(dict(state_dict=MODELS.build(cfg.model).state_dict(),
                    meta={}), ckpt)
    out = python_tool(ROOT / 'tools/test.py', config, ckpt, '--work-dir',
                      tmp_path)
    tables = json.loads((tmp_path / 'model_tables.json').read_text())
    assert [t['title'] for t in tables] == titles
    markdown = (tmp_path / 'model_tables.md').read_text()
    metrics = json.loads((tmp_path / 'model_metrics.json').read_text())
    for table in tables:
        assert table['title'] in out and f'### {table["title"]}' in markdown
        assert table['header'][1] in out
        values = [v for row in table['rows'] for v in row
                  if not isinstance(v, str)]
        assert values and all(0 <= v <= 100 for v in values)
    if dataset == 'mpii':
        assert tables[0]['header'][-2:] == ['PCKh@0.1', 'AUC']
        assert tables[0]['rows'][0][8] == round(metrics['PCK'], 1)
    if dataset == 'lsp':
        total = [r for r in tables[1]['rows'] if r[0] == 'Total'][0]
        assert total[1] == round(100 * metrics['PCP@0.5/Total'], 1)
