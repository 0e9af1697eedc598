"""The papers' result tables, filled from a metrics dict of our evaluators
(``tools/test.py`` prints them and writes them as JSON and Markdown).

Layouts follow the papers: MPII PCKh@0.5 (the MSSH paper's Table 1;
PCKh@0.1 and the AUC of Su et al.'s Table 4 as extra columns), LSP PCK@0.2
(the MSSH paper's Table 2), LSP PCP@0.5 with the parts as rows (its Table
3), COCO AP as MMPose's CocoMetric reports it. Values are percentages.
"""
from typing import Dict, List

# (title, keys in metric order, column names, scale to %), row-wise tables
ROW_TABLES = (
    ('MPII PCKh@0.5',
     ['Head PCK', 'Shoulder PCK', 'Elbow PCK', 'Wrist PCK', 'Hip PCK',
      'Knee PCK', 'Ankle PCK', 'PCK', 'PCK@0.1', 'AUC'],
     ['Head', 'Sho.', 'Elb.', 'Wri.', 'Hip', 'Knee', 'Ank.', 'Total',
      'PCKh@0.1', 'AUC'], 1.),
    ('LSP PCK@0.2',
     [f'PCK@0.2/{k}' for k in ('Head', 'Shoulder', 'Elbow', 'Wrist', 'Hip',
                               'Knee', 'Ankle', 'Total')],
     ['Head', 'Sho.', 'Elb.', 'Wri.', 'Hip', 'Knee', 'Ank.', 'Total'], 100.),
    ('COCO keypoints',
     ['coco/AP', 'coco/AP .5', 'coco/AP .75', 'coco/AP (M)', 'coco/AP (L)',
      'coco/AR'],
     ['AP', 'AP50', 'AP75', 'APM', 'APL', 'AR'], 100.),
)
# parts as rows, as the MSSH paper's Table 3 prints PCP
COLUMN_TABLES = (
    ('LSP PCP@0.5',
     [f'PCP@0.5/{k}' for k in ('Torso', 'Upper leg', 'Lower leg',
                               'Upper arm', 'Forearm', 'Head', 'Total')],
     ['Torso', 'U.Leg', 'L.Leg', 'U.Arm', 'Forearm', 'Head', 'Total'],
     100.),
)


def paper_tables(metrics: Dict[str, float], name: str = 'Ours') -> List[dict]:
    """Every table whose metrics are present, as ``dict(title, header,
    rows)`` with values in % rounded to 0.1. Columns whose metric is
    missing (e.g. AUC from plain MpiiPCKAccuracy) are dropped."""
    tables = []
    for title, keys, names, scale in ROW_TABLES:
        cols = [(n, k) for n, k in zip(names, keys) if k in metrics]
        if len(cols) < 2:
            continue
        tables.append(dict(
            title=title, header=['Method'] + [n for n, _ in cols],
            rows=[[name] + [round(metrics[k] * scale, 1) for _, k in cols]]))
    for title, keys, names, scale in COLUMN_TABLES:
        rows = [[n, round(metrics[k] * scale, 1)]
                for n, k in zip(names, keys) if k in metrics]
        if len(rows) < 2:
            continue
        tables.append(dict(title=title, header=['Part', name], rows=rows))
    return tables


def tables_to_markdown(tables: List[dict]) -> str:
    out = []
    for table in tables:
        out += [f'### {table["title"]}', '',
                '| ' + ' | '.join(table['header']) + ' |',
                '|' + '---|' * len(table['header'])]
        out += ['| ' + ' | '.join(str(v) for v in row) + ' |'
                for row in table['rows']]
        out.append('')
    return '\n'.join(out)


def tables_to_text(tables: List[dict]) -> str:
    out = []
    for table in tables:
        cells = [table['header']] + [[str(v) for v in r]
                                     for r in table['rows']]
        widths = [max(len(row[i]) for row in cells)
                  for i in range(len(table['header']))]
        out.append(table['title'])
        out += ['  '.join(c.rjust(w) for c, w in zip(row, widths))
                for row in cells]
        out.append('')
    return '\n'.join(out)
