"""Write the model index in MMPose's format: ``configs/<folder>/metafile.yml``
per config folder and the root ``model-index.yml`` importing them::

    python tools/analysis/model_index.py [--check]

Also ``configs/<family>/README.md``, each family's model-zoo page (the
paper, BibTeX, configs, results measured here and their protocol).

Per config: name, config path, architecture, training data, input size,
parameters and backbone GFLOPs (from benchmarks/complexity.json; configs
missing there are measured and added), results where this repository
measured them (benchmarks/zoo_lsp_cpu.json, mpii+lsp+lspet_lsp_cpu.json,
quickstart_lsp_2cpu.json) and
weights where a checkpoint is published under checkpoints/ (named
``<config name>-<sha256[:8]>.pth`` by tools/misc/publish_model.py; its full
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

from mmpose_hourglass_ext.models.families import BY_FOLDER, FAMILIES

ROOT = Path(__file__).resolve().parents[2]
FAMILY_COLLECTIONS = {
    f.folder: dict(Name=f.collection, Architecture=f.backbone,
                   Title=f'{f.title} ({f.authors}, {f.venue})')
    for f in FAMILIES}
COLLECTIONS = dict(
    FAMILY_COLLECTIONS,
    zoo=dict(Name='ModelZooLSP', Architecture=None,
             Title="This package's model zoo protocol (docs/zoo_lsp_cpu.md)"),
    mpii_and_lsp=dict(Name='MPIIAndLSP', Architecture=None,
                      Title='MPII, and MPII + LSP + LSPET in one model, on '
                      '2 CPU cores (docs/datasets.md)'),
    custom=dict(Name='CustomKeypoints', Architecture='StackedHourglass',
                Title='Example of an own keypoint set '
                      '(docs/custom_dataset.md)'))
DATASETS = (('mpii+lsp+lspet', 'MPII+LSP+LSPET'), ('lsp+lspet', 'LSP+LSPET'), ('lspet', 'LSP+LSPET'),
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
                             'the name; republish with tools/misc/publish_model.py')
        weights[match.group(1)] = (str(path.relative_to(ROOT)), sha)
    return weights


def zoo_rows() -> dict:
    """Every zoo result by config name: the first zoo's (1000 iterations;
    and the float32 60-minute recipe), then the current zoo's, which win,
    except that a row marked ``published_as`` (the run whose weights are
    shipped under checkpoints/) keeps describing those weights."""
    rows = {}
    for zoo in ('zoo_v1_lsp_cpu_1000it.json', 'zoo_lsp_cpu.json',
                'mpii+lsp+lspet_lsp_cpu.json'):
        path = ROOT / 'benchmarks' / zoo
        for name, row in (json.loads(path.read_text()) if path.is_file()
                          else {}).items():
            if not rows.get(name, {}).get('published_as'):
                rows[name] = row
    return rows


def measured_results() -> dict:
    results = {}
    for name, row in zoo_rows().items():
        metrics = row.get('metrics', {})
        results[name] = dict(Dataset='LSP', Task='Body 2D Keypoint', Metrics={
            k: round(100 * v, 1) for k, v in metrics.items()
            if k in ('PCK@0.2/Total', 'PCP@0.5/Total')})
    quick = ROOT / 'benchmarks' / 'quickstart_lsp_2cpu.json'
    if quick.is_file():
        row = json.loads(quick.read_text())
        name = row.get('config', 'td-hm_hourglass2-64_1xb16-1600it_lsp-128x128')
        results[name] = dict(
            Dataset='LSP', Task='Body 2D Keypoint',
            Metrics={'PCK@0.2/Total': round(100 * row['PCK@0.2/Total'], 1)})
    return results


def complexity_rows(configs, measure_missing: bool) -> dict:
    from mmpose_hourglass_ext.utils.analysis import (config_complexity,
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


ZOO_PROTOCOLS = (
    ('zoo_lsp_cpu.json', 'zoo v2'),
    ('zoo_v1_lsp_cpu_1000it.json', 'zoo v1'),
)
PROTOCOL_NOTE = (
    'Both zoos: LSP train + 5000 LSPET images, 128x128, batch 16, Adam, '
    'the last checkpoint tested with flip test on the 1000 LSP test images, '
    '2 CPU cores. zoo v2 ([docs/zoo_lsp_cpu.md](../../docs/zoo_lsp_cpu.md)): '
    "every entry at the soft-gated 2 x 64's 0.87M parameters, the fast CPU "
    'mode. zoo v1 ([docs/zoo_v1_lsp_cpu_1000it.md]'
    '(../../docs/zoo_v1_lsp_cpu_1000it.md)): about 0.45M parameters, '
    'float32.')


def family_page(folder: str, metafile: dict) -> str:
    """configs/<family>/README.md: the paper, BibTeX, configs, what this
    package measured and under which protocol, what it has not trained."""
    family = BY_FOLDER[folder]
    lines = [f'# {family.backbone}', '',
             f'{family.citation}.', '',
             'What the package builds from the paper, and where it chose '
             'values the text lost: [docs/models.md](../../docs/models.md). '
             'Use it inside your own MMPose configs: '
             '[docs/drop_in.md](../../docs/drop_in.md).', '',
             '```bibtex', family.bibtex, '```', '',
             '## Configs', '',
             '| config | training data | input | params (M) | GFLOPs |',
             '|---|---|---|---|---|']
    for model in metafile['Models']:
        meta = model['Metadata']
        lines.append(
            f"| [{model['Name']}]"
            f"({Path(model['Config']).relative_to('configs/' + folder)}) | "
            f"{meta['Training Data']} | {meta['Input size']} | "
            f"{meta['Parameters (M)']} | {meta['Backbone FLOPs (G)']} |")
    lines += ['', '## Measured by this package', '']
    measured = []
    for file, protocol in ZOO_PROTOCOLS:
        path = ROOT / 'benchmarks' / file
        rows = json.loads(path.read_text()) if path.is_file() else {}
        for name, row in sorted(rows.items()):
            if row.get('backbone') != family.backbone:
                continue
            m = row.get('metrics', {})
            measured.append(
                f"| [{name}](../../{row['config']}) | {row['params_M']} | "
                f"{row['iterations']} | "
                f"{100 * m.get('PCK@0.2/Total', float('nan')):.1f} | "
                f"{100 * m.get('PCP@0.5/Total', float('nan')):.1f} | "
                f'{protocol} |')
    if measured:
        lines += ['| entry | params (M) | iterations | LSP PCK@0.2 Total | '
                  'PCP@0.5 Total | protocol |', '|---|---|---|---|---|---|',
                  *measured, '', PROTOCOL_NOTE]
    else:
        lines.append('No result yet.')
    lines += ['', '## Not trained at paper scale', '',
              'The configs above at the paper\'s size (MPII, COCO, LSP at '
              '256x256, 8 stacks and 200+ epochs) have not been trained by '
              'this package: it is developed on 2 CPU cores. The numbers '
              'above are small models (under 1M parameters) trained on '
              'CPU; the paper\'s own numbers are in docs/models.md and '
              'are not reproduced here.', '']
    return '\n'.join(lines)


def dump(content: dict) -> str:
    return ('# generated by tools/analysis/model_index.py; do not edit\n'
            + yaml.safe_dump(content, sort_keys=False, width=100))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--check', action='store_true',
                        help='exit 1 if the files on disk are out of date')
    args = parser.parse_args(argv)
    files = build_index(measure_missing=not args.check)
    texts = {rel: dump(content) for rel, content in files.items()}
    for folder in BY_FOLDER:
        texts[f'configs/{folder}/README.md'] = family_page(
            folder, files[f'configs/{folder}/metafile.yml'])
    stale = []
    for rel, text in texts.items():
        path = ROOT / rel
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
