"""Write the model index in MMPose's format: ``configs/<folder>/metafile.yml``
per config folder and the root ``model-index.yml`` importing them::

    python tools/analysis/model_index.py [--check]

Per config: name, config path, architecture, training data, input size,
parameters and backbone GFLOPs (from benchmarks/complexity.json; configs
missing there are measured and added), results where this repository
measured them (benchmarks/zoo_lsp_cpu.json, quickstart_lsp_2cpu.json) and
weights where a checkpoint is published under checkpoints/ (named
``<config name>-<sha256[:8]>.pth`` by tools/publish_model.py; its full
sha256 goes in the metadata). ``--check`` exits 1 when the files on disk
differ from what would be written (used by the tests).
"""
import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COLLECTIONS = {
    'stacked_hourglass': dict(
        Name='StackedHourglass', Architecture='StackedHourglass',
        Title='Stacked Hourglass Networks for Human Pose Estimation '
              '(Newell et al., ECCV 2016)'),
    'soft_gated_hourglass': dict(
        Name='SoftGatedHourglass', Architecture='SoftGatedHourglass',
        Title='Toward fast and accurate human pose estimation via '
              'soft-gated skip connections (Bulat et al., FG 2020)'),
    'multi_scale_hourglass': dict(
        Name='MultiScaleStackedHourglass',
        Architecture='MultiScaleStackedHourglass',
        Title='Multi-Scale Stacked Hourglass with adaptive loss weights '
              '(paper 000 in docs/models.md)'),
    'dense_hourglass': dict(
        Name='DenseStackedHourglass', Architecture='DenseStackedHourglass',
        Title='Dense-connected stacked hourglass (paper 002 in '
              'docs/models.md)'),
    'residual_stacked_hourglass': dict(
        Name='ResidualStackedHourglass',
        Architecture='ResidualStackedHourglass',
        Title='Residual stacked hourglass (paper 001 in docs/models.md)'),
    'resnet_multi_stage': dict(
        Name='ResNetMultiStage', Architecture='ResNetMultiStage',
        Title='ResNet-based multi-stage network (Su et al., paper 003 in '
              'docs/models.md)'),
    'zoo': dict(Name='ModelZooLSP', Architecture=None,
                Title="This package's model zoo protocol (docs/zoo_lsp_cpu.md)"),
    'custom': dict(Name='CustomKeypoints', Architecture='StackedHourglass',
                   Title='Example of an own keypoint set '
                         '(docs/custom_dataset.md)'),
}
DATASETS = (('lsp+lspet', 'LSP+LSPET'), ('lspet', 'LSP+LSPET'),
            ('lsp', 'LSP'), ('mpii', 'MPII'), ('coco', 'COCO'),
            ('my-keypoints', 'own COCO-format data'))


def config_files():
    """Every config with a model (base files and metainfo left out)."""
    for path in sorted((ROOT / 'configs').rglob('*.py')):
        rel = path.relative_to(ROOT)
        if '_base_' in rel.parts or path.stem.endswith('_metainfo'):
            continue
        yield rel


def training_data(name: str) -> str:
    tag = name.split('_')[-1]
    for key, label in DATASETS:
        if tag.startswith(key):
            return label
    return 'see config'


def published_weights() -> dict:
    """``{config name: (path, sha256)}`` of checkpoints/*.pth."""
    weights = {}
    for path in sorted((ROOT / 'checkpoints').glob('*.pth')):
        match = re.fullmatch(r'(.+)-([0-9a-f]{8})', path.stem)
        if not match:
            continue
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        if not sha.startswith(match.group(2)):
            raise ValueError(f'{path}: its sha256 {sha[:8]} does not match '
                             'the name; republish with tools/publish_model.py')
        weights[match.group(1)] = (str(path.relative_to(ROOT)), sha)
    return weights


def measured_results() -> dict:
    results = {}
    rows = {}
    # the first zoo (1000 iterations; and the float32 60-minute recipe),
    # then the current zoo, whose entries win
    for zoo in ('zoo_v1_lsp_cpu_1000it.json', 'zoo_lsp_cpu.json'):
        path = ROOT / 'benchmarks' / zoo
        rows.update(json.loads(path.read_text()) if path.is_file() else {})
    for name, row in rows.items():
        metrics = row.get('metrics', {})
        results[name] = dict(Dataset='LSP', Task='Body 2D Keypoint', Metrics={
            k: round(100 * v, 1) for k, v in metrics.items()
            if k in ('PCK@0.2/Total', 'PCP@0.5/Total')})
    quick = ROOT / 'benchmarks' / 'quickstart_lsp_2cpu.json'
    if quick.is_file():
        row = json.loads(quick.read_text())
        results['td-hm_hourglass2-64_1xb16-1600it_lsp-128x128'] = dict(
            Dataset='LSP', Task='Body 2D Keypoint',
            Metrics={'PCK@0.2/Total': round(100 * row['PCK@0.2/Total'], 1)})
    return results


def complexity_rows(configs, measure_missing: bool) -> dict:
    from mmpose_hourglass_ext.analysis import (config_complexity,
                                               update_results)
    path = ROOT / 'benchmarks' / 'complexity.json'
    rows = json.loads(path.read_text()) if path.is_file() else {}
    missing = [c for c in configs if c.stem not in rows]
    if missing and measure_missing:
        new = {}
        for config in missing:
            print(f'measuring {config}', file=sys.stderr)
            new[config.stem] = config_complexity(str(config))
        update_results(path, new)
        rows.update(new)
    return rows


def architecture(config) -> str:
    from mmengine.config import Config
    return Config.fromfile(str(ROOT / config)).model.backbone.type


def build_index(measure_missing: bool = True) -> dict:
    """``{metafile path: content}`` plus the root model-index.yml."""
    configs = list(config_files())
    sizes = complexity_rows(configs, measure_missing)
    results = measured_results()
    weights = published_weights()
    folders = {}
    for config in configs:
        folders.setdefault(config.parts[1], []).append(config)
    files = {}
    for folder, members in sorted(folders.items()):
        info = COLLECTIONS[folder]
        models = []
        for config in members:
            name = config.stem
            size = sizes.get(name, {})
            meta = {
                'Architecture': [info['Architecture'] or architecture(config)],
                'Training Data': training_data(name),
                'Input size': 'x'.join(map(str, size.get('input_hw', []))),
                'Parameters (M)': size.get('params_M'),
                'Backbone FLOPs (G)': size.get('GFLOPs'),
            }
            model = {'Name': name, 'In Collection': info['Name'],
                     'Config': str(config), 'Metadata': meta}
            if name in results:
                model['Results'] = [results[name]]
            if name in weights:
                path, sha = weights[name]
                model['Weights'] = path
                meta['Weights sha256'] = sha
            models.append(model)
        files[f'configs/{folder}/metafile.yml'] = {
            'Collections': [{'Name': info['Name'],
                             'Paper': {'Title': info['Title']},
                             'README': 'docs/models.md'}],
            'Models': models}
    files['model-index.yml'] = {'Import': sorted(
        k for k in files)}
    return files


def dump(content: dict) -> str:
    return ('# generated by tools/analysis/model_index.py; do not edit\n'
            + yaml.safe_dump(content, sort_keys=False, width=100))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--check', action='store_true',
                        help='exit 1 if the files on disk are out of date')
    args = parser.parse_args(argv)
    files = build_index(measure_missing=not args.check)
    stale = []
    for rel, content in files.items():
        path = ROOT / rel
        text = dump(content)
        if args.check:
            if not path.is_file() or path.read_text() != text:
                stale.append(rel)
        else:
            path.write_text(text)
            print(f'wrote {rel}')
    if stale:
        sys.exit('out of date (run python tools/analysis/model_index.py): '
                 + ', '.join(stale))


if __name__ == '__main__':
    main()
