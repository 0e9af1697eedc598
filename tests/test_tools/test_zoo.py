"""The model-zoo machinery end to end on one tiny entry (real LSP and LSPET
images, 4 iterations): JSON, table, README section and plots; entries with
a result are skipped; an interrupted entry resumes. Accuracy comes from
the zoo run itself, never from here."""
import json
import os

import pytest

from conftest import ROOT, load_tool, python_tool, require_data

ZOO = ROOT / 'tools' / 'analysis' / 'zoo.py'
TINY = ROOT / 'tests' / 'configs' / 'zoo_tiny_lsp+lspet-64x64.py'
NAME = TINY.stem


def zoo(tmp_path, *extra):
    return python_tool(
        ZOO, '--configs', TINY, '--work-dir', tmp_path / 'work', '--out',
        tmp_path / 'zoo.json', '--table', tmp_path / 'zoo.md', '--plots',
        tmp_path / 'plots', '--readme', tmp_path / 'README.md', *extra)


@pytest.mark.slow
def test_zoo_trains_tests_and_reports_an_entry(lsp_root, tmp_path):
    require_data('lspet')
    readme = tmp_path / 'README.md'
    readme.write_text('intro\n<!-- zoo table: written by tools/analysis/'
                      'zoo.py -->\nold\n<!-- end of zoo table -->\noutro\n')
    # an earlier run stopped after 2 of the 4 iterations
    python_tool(ROOT / 'tools' / 'train.py', TINY, '--work-dir',
                tmp_path / 'work' / NAME, '--no-validate', '--cfg-options',
                'train_cfg.max_iters=2')
    out = zoo(tmp_path)
    log = (tmp_path / 'work' / NAME / 'zoo_entry.log').read_text()
    assert '--resume' in out and 'resumed' in log.lower()
    row = json.loads((tmp_path / 'zoo.json').read_text())[NAME]
    assert row['backbone'] == 'StackedHourglass'
    assert row['iterations'] == 4 and row['batch_size'] == 4
    assert row['checkpoint'].endswith('iter_4.pth')
    assert 0 < row['params_M'] < 0.1 and row['GFLOPs'] > 0
    assert row['train_images_per_s'] > 0 and row['infer_ms_per_image'] > 0
    assert 0 <= row['metrics']['PCK@0.2/Total'] <= 1
    assert 'PCP@0.5/Total' in row['metrics']
    assert [step for step, _ in row['loss_curve']] == [1, 2, 3, 4]
    table = (tmp_path / 'zoo.md').read_text()
    assert 'zoo_tiny' in table and 'PCK@0.2 Total' in table
    text = readme.read_text()
    assert text.startswith('intro\n') and text.endswith('outro\n')
    assert 'old' not in text and 'zoo_tiny' in text
    from PIL import Image
    for name in ('pck_vs_params', 'pck_vs_train_time', 'training_loss',
                 'pck_per_joint'):
        assert Image.open(tmp_path / 'plots' / f'{name}.png').size[0] > 300
    # a second run skips the entry that has its result
    again = zoo(tmp_path)
    assert 'skipped' in again and 'train.py' not in again
    # --remeasure re-times the recorded checkpoint, nothing else
    row['infer_ms_per_image'] = 999.0
    (tmp_path / 'zoo.json').write_text(json.dumps({NAME: row}))
    timed = zoo(tmp_path, '--remeasure')
    assert 'train.py' not in timed and 'test.py' not in timed
    assert '999.0 ->' in timed
    new = json.loads((tmp_path / 'zoo.json').read_text())[NAME]
    assert 0 < new['infer_ms_per_image'] < 999 and new['remeasured']
    assert new['metrics'] == row['metrics']
    # --retime measures the training speed again with a short run
    new.update(train_images_per_s=0.001, shared_fraction=0.5)
    (tmp_path / 'zoo.json').write_text(json.dumps({NAME: new}))
    timed = zoo(tmp_path, '--retime', '--retime-iters', '8')
    assert 'train.py' in timed and 'test.py' not in timed
    assert '0.001 ->' in timed and 'median of 1 runs' in timed
    retimed = json.loads((tmp_path / 'zoo.json').read_text())[NAME]
    assert retimed['train_images_per_s'] == retimed['retimes'][0] > 0.001
    assert retimed['retimed'].endswith('(8 iterations per run)')
    # a second run adds its speed; the row shows the median of the runs
    retimed['retimes'] = [1.0, 3.0]
    (tmp_path / 'zoo.json').write_text(json.dumps({NAME: retimed}))
    timed = zoo(tmp_path, '--retime', '--retime-iters', '8')
    again = json.loads((tmp_path / 'zoo.json').read_text())[NAME]
    assert again['retimes'][:2] == [1.0, 3.0] and len(again['retimes']) == 3
    assert again['train_images_per_s'] == 3.0  # the new run is faster
    # an entry that trained with the machine to itself counts that too
    again.update(train_images_per_s=0.5, shared_fraction=0.02)
    del again['retimes']
    (tmp_path / 'zoo.json').write_text(json.dumps({NAME: again}))
    zoo(tmp_path, '--retime', '--retime-iters', '8')
    alone = json.loads((tmp_path / 'zoo.json').read_text())[NAME]
    assert alone['retimes'][0] == 0.5 and len(alone['retimes']) == 2
    # a retime on another machine would mix two CPUs in one median
    assert alone['machine'].startswith(f'{os.cpu_count()} CPU cores, ')
    alone['machine'] = '2 CPU cores, Some Other CPU (no bf16)'
    (tmp_path / 'zoo.json').write_text(json.dumps({NAME: alone}))
    with pytest.raises(pytest.fail.Exception) as exc:
        zoo(tmp_path, '--retime', '--retime-iters', '8')
    assert 'Some Other CPU' in str(exc.value) and '--force' in str(exc.value)
    assert retimed['metrics'] == row['metrics']
    assert retimed['checkpoint'] == row['checkpoint']


def test_unknown_entry_is_named(tmp_path):
    with pytest.raises(pytest.fail.Exception) as exc:
        python_tool(ZOO, '--configs', TINY, '--only', 'nope', '--out',
                    tmp_path / 'z.json')
    assert 'no entry named' in str(exc.value)


def test_remeasure_names_a_missing_checkpoint(tmp_path):
    (tmp_path / 'zoo.json').write_text(json.dumps(
        {NAME: dict(checkpoint=str(tmp_path / 'gone.pth'))}))
    with pytest.raises(pytest.fail.Exception) as exc:
        zoo(tmp_path, '--remeasure')
    assert 'gone.pth' in str(exc.value) and NAME in str(exc.value)


def test_rows_name_paths_in_the_checkout_relative_to_it(tmp_path):
    # a row's checkpoint must mean something in the next clone of the
    # repository, not only in the worktree that trained it
    tool = load_tool('tools/analysis/zoo.py')
    inside = ROOT / 'work_dirs' / 'zoo' / NAME / 'iter_4.pth'
    assert tool.in_checkout(inside) == f'work_dirs/zoo/{NAME}/iter_4.pth'
    assert tool.in_checkout(tmp_path / 'a.pth') == str(tmp_path / 'a.pth')
    # and --remeasure looks for a relative one in the checkout it runs in
    (tmp_path / 'zoo.json').write_text(json.dumps(
        {NAME: dict(checkpoint='work_dirs/zoo/gone/iter_4.pth')}))
    with pytest.raises(pytest.fail.Exception) as exc:
        zoo(tmp_path, '--remeasure')
    assert str(ROOT / 'work_dirs/zoo/gone/iter_4.pth') in str(exc.value)


ZOO_CONFIGS = sorted((ROOT / 'configs' / 'zoo').glob('*.py'))
REFERENCE = 'td-hm_sghg2-64_1xb16-10000it_lsp+lspet-128x128'
# MMPose's HourglassNet hard-codes a 256-channel stem (0.94M parameters on
# its own): it cannot be built at the budget, and is a labelled reference
OVER_BUDGET = {'td-hm_mmpose-hourglassnet1-32_1xb16-10000it_lsp+lspet-128x128',
               # RTMPose at its smallest published size, RTMPose-t (3.17M)
               'td-simcc_mmpose-rtmpose-t_1xb16-10000it_lsp+lspet-128x128'}
# each paper's claim as a pair that differs in the one setting it names
ABLATIONS = {
    ('td-hm_sghg2-64-gate-none_1xb16-10000it_lsp+lspet-128x128', REFERENCE):
        ('backbone', 'gate'),
    ('td-hm_mssh3-80-uniform-loss_1xb16-10000it_lsp+lspet-128x128',
     'td-hm_mssh3-80_1xb16-10000it_lsp+lspet-128x128'): ('loss', 'adaptive'),
}


def flat(d, prefix=''):
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(flat(v, f'{prefix}{k}.'))
        else:
            out[prefix + k] = v
    return out


def test_zoo_entries_share_one_protocol_and_one_budget():
    """Same data, iterations, batch, optimizer, schedule, fast mode and
    test set; every network (backbone + head: MMPose's peers have weights
    in the head) within 10% of the soft-gated 2 x 64's parameters; every
    family and MMPose's peers present, each mechanism active."""
    from mmengine.config import Config
    from mmpose.registry import MODELS

    from mmpose_hourglass_ext.utils.analysis import count_params
    from mmpose_hourglass_ext.models.families import FAMILIES
    cfgs = {p.stem: Config.fromfile(p) for p in ZOO_CONFIGS}
    base = cfgs[REFERENCE]
    budget = count_params(MODELS.build(base.model))
    backbones = set()
    for name, cfg in cfgs.items():
        for key in ('train_cfg', 'optim_wrapper', 'param_scheduler',
                    'test_dataloader', 'test_evaluator', 'fast_mode'):
            assert cfg[key] == base[key], (name, key)
        assert cfg.train_cfg.max_iters == 10000
        loader = cfg.train_dataloader
        assert loader.batch_size == 16
        assert [d.type for d in loader.dataset.datasets] == [
            'LspDataset', 'LspetDataset']
        assert cfg.model.test_cfg.flip_test
        assert tuple(cfg.model.head.decoder.input_size) == (128, 128)
        model = MODELS.build(cfg.model)
        if name not in OVER_BUDGET:
            assert count_params(model) == pytest.approx(budget, rel=0.10), \
                name
        backbones.add(cfg.model.backbone.type)
        backbone = model.backbone
        stacks = getattr(backbone, 'num_stacks', None)
        if cfg.model.backbone.type == 'DenseStackedHourglass':
            assert stacks >= 3  # a stack that reads two earlier ones
        if cfg.model.backbone.type == 'ResidualStackedHourglass':
            assert stacks == 5 and backbone.highways
        if cfg.model.backbone.type == 'MultiScaleStackedHourglass':
            assert len(set(backbone.stack_strides)) == 3  # all scales used
    assert {f.backbone for f in FAMILIES} <= backbones
    assert {'HourglassNet', 'ResNet', 'HRNet', 'CSPNeXt'} <= backbones
    seeds = {}
    for name, cfg in cfgs.items():
        seeds.setdefault(name.replace('-seed1', '').replace('-seed2', ''),
                         set()).add(cfg.randomness.seed)
    assert seeds['td-hm_hourglass2-90_1xb16-10000it_lsp+lspet-128x128'] == {
        0, 1, 2}
    assert seeds[REFERENCE] == {0, 1, 2}


@pytest.mark.parametrize('pair', sorted(ABLATIONS))
def test_each_ablation_pair_differs_in_the_setting_it_names(pair):
    from mmengine.config import Config
    a, b = (flat(Config.fromfile(ROOT / 'configs/zoo' / f'{n}.py').to_dict())
            for n in pair)
    differ = {k for k in set(a) | set(b) if a.get(k) != b.get(k)}
    part, setting = ABLATIONS[pair]
    assert differ and all(k.endswith(f'{part}.{setting}') for k in differ), \
        differ


def test_multi_stage_pair_has_equal_parameters_and_one_stage_less():
    from mmengine.config import Config
    from mmpose.registry import MODELS

    from mmpose_hourglass_ext.utils.analysis import count_params
    one, two = (MODELS.build(Config.fromfile(
        ROOT / 'configs/zoo' / f'td-hm_res50x{n}_1xb16-10000it_lsp+lspet-'
        '128x128.py').model) for n in ('1-b10', '2-b7'))
    assert (one.backbone.num_stages, two.backbone.num_stages) == (1, 2)
    assert count_params(one) == pytest.approx(count_params(two), rel=0.05)


def test_a_row_note_becomes_a_footnote_of_the_table(tmp_path):
    rows = json.loads((ROOT / 'benchmarks' / 'zoo_lsp_cpu.json').read_text())
    name = next(iter(rows))
    label = name.split('_')[1]
    seed1 = name.replace(f'_{label}_', f'_{label}-seed1_')
    rows = {name: dict(rows[name], note='paused 10 minutes mid-run',
                       shared_fraction=0.04,
                       machine='2 CPU cores, AMD EPYC 9R14 (AVX512-BF16)'),
            # a seed run with the same note shares its footnote; its CPU
            # and sharing do not qualify the seed-0 speeds the row shows
            seed1: dict(rows[name], note='paused 10 minutes mid-run',
                        shared_fraction=0.6, machine='2 CPU cores, '
                        'Intel(R) Xeon(R) Processor (AVX512-BF16 and AMX)')}
    (tmp_path / 'zoo.json').write_text(json.dumps(rows))
    (tmp_path / 'README.md').write_text(
        '<!-- zoo table: written by tools/analysis/zoo.py -->\n'
        '<!-- end of zoo table -->\n')
    zoo(tmp_path, '--render')
    table = (tmp_path / 'zoo.md').read_text()
    row = next(line for line in table.splitlines()
               if line.startswith('| [') and name.split('_')[1] in line)
    assert '[1] |' in row and '[2]' not in table
    assert row.endswith('| AMD EPYC 9R14 (AVX512-BF16) | bf16 + '
                        'channels-last | 4% |')
    assert '\n[1] paused 10 minutes mid-run\n' in table
    # the page shows the four plots, linked relative to itself
    links = [line[line.index('](') + 2:-1] for line in table.splitlines()
             if line.startswith('![')]
    assert len(links) == 4
    assert all((tmp_path / link).is_file() for link in links)


def test_labels_of_close_points_stay_apart_and_inside_the_axes():
    """Three entries within 0.2 points at the top of the plot (as the
    soft-gated pair and Newell's sit): no label overlaps another, a
    marker, or leaves the frame into the title."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from matplotlib.text import Text
    tool = load_tool('tools/analysis/zoo.py')
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    points = [(40.9, 78.3), (44.0, 78.2), (48.6, 77.8), (12.6, 62.9)]
    texts = []
    for i, (x, y) in enumerate(points):
        ax.plot(x, y, 'o')
        texts.append(ax.annotate(f'entry-with-a-long-name-{i}', (x, y),
                                 textcoords='offset points', xytext=(6, 2),
                                 fontsize=7, arrowprops=dict(arrowstyle='-')))
    ax.set_xscale('log')
    ax.margins(x=0.25, y=0.05)  # as plot() leaves room
    ax.set_title('title')
    fig.tight_layout()
    tool.spread_labels(fig, texts)
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    boxes = [Text.get_window_extent(t, renderer) for t in texts]  # no line
    for i, box in enumerate(boxes):
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1, texts[i]
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, texts[i]
        assert not any(box.overlaps(other) for other in boxes[i + 1:])
        for x, y in points:
            px, py = ax.transData.transform((x, y))
            assert not box.contains(px, py)
    plt.close(fig)


def plotted(rows: dict, tmp_path, monkeypatch) -> dict:
    """The zoo's figures for ``rows`` by file name, as drawn (not saved)."""
    from matplotlib.figure import Figure
    saved = {}
    monkeypatch.setattr(Figure, 'savefig',
                        lambda fig, path, **_: saved.update({path.name: fig}))
    load_tool('tools/analysis/zoo.py').plot(rows, tmp_path)
    return saved


def test_the_time_plot_marks_the_cpu_each_time_was_measured_on(
        tmp_path, monkeypatch):
    """Minutes from two CPUs do not compare: the time plot gives each CPU
    its own marker and names them; the parameter plot has no CPU, and
    names an over-budget entry at its edge instead of stretching its axis
    5x over the budget's entries."""
    rows = json.loads((ROOT / 'benchmarks' / 'zoo_lsp_cpu.json').read_text())
    names = [n for n in rows if '-seed' not in n][:2] + [
        'td-hm_mmpose-hourglassnet1-32_1xb16-10000it_lsp+lspet-128x128']
    machines = ['2 CPU cores, AMD EPYC (AVX512-BF16)'] * 2 + [
        '2 CPU cores, Intel(R) Xeon(R) Processor (AVX512-BF16 and AMX)']
    rows = {n: dict(rows[n], machine=m) for n, m in zip(names, machines)}
    saved = plotted(rows, tmp_path, monkeypatch)
    legend = saved['pck_vs_train_time.png'].axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [
        'AMD EPYC (AVX512-BF16)', 'Intel Xeon (AVX512-BF16 and AMX)']
    assert [h.get_marker() for h in legend.legend_handles] == ['o', 's']
    params = saved['pck_vs_params.png'].axes[0]
    assert params.get_legend() is None
    assert params.get_xlim()[1] < 1.0  # the 0.87M budget, not 4.27M
    assert any(t.get_text().startswith('mmpose-hourglassnet1-32: 4.27M')
               for t in params.texts)


def test_each_model_keeps_one_colour_and_a_pair_shares_a_hue(
        tmp_path, monkeypatch):
    """Twelve models outrun the default ten-colour cycle (two models drew
    in one colour in the loss plot's legend): each model gets one colour
    in every plot, and the two models of one backbone (an ablation pair)
    get the dark and light shade of one hue."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgba
    rows = json.loads((ROOT / 'benchmarks' / 'zoo_lsp_cpu.json').read_text())
    rows = {n: r for n, r in rows.items() if '-seed' not in n}
    saved = plotted(rows, tmp_path, monkeypatch)
    bars = saved['pck_per_joint.png'].axes[0]
    bar_colour = {c.get_label(): c.patches[0].get_facecolor()
                  for c in bars.containers}
    lines = {line.get_label(): to_rgba(line.get_color())
             for line in saved['training_loss.png'].axes[0].get_lines()}
    assert len(bar_colour) == len(rows) > 10
    assert len(set(bar_colour.values())) == len(rows)
    assert lines == bar_colour
    tab20 = [plt.cm.tab20(i) for i in range(20)]
    pair = [tab20.index(bar_colour[m])
            for m in ('mssh3-80', 'mssh3-80-uniform-loss')]
    assert sorted(pair)[0] % 2 == 0 and abs(pair[0] - pair[1]) == 1


def test_equal_time_entries_get_the_soft_gated_models_minutes():
    """MMPose's peers trained for the soft-gated 2 x 64's training minutes
    (its zoo row's pace), with the same schedule shape."""
    from mmengine.config import Config

    from mmpose_hourglass_ext.utils.zoo_report import pace_minutes
    rows = json.loads((ROOT / 'benchmarks/zoo_lsp_cpu.json').read_text())
    minutes = pace_minutes(rows[REFERENCE])
    entries = sorted((ROOT / 'configs/zoo/equal_time').glob('*.py'))
    assert len(entries) == 2
    for path in entries:
        cfg = Config.fromfile(path)
        peer = path.stem.replace('-equal-time', '').split('_')
        peer[2] = '1xb16-10000it'
        base = Config.fromfile(ROOT / 'configs/zoo' / ('_'.join(peer) +
                                                       '.py'))
        iters = cfg.train_cfg.max_iters
        expected = 10000 * minutes / pace_minutes(rows['_'.join(peer)])
        assert iters == round(expected, -2), path.name
        assert cfg.param_scheduler[0].milestones == [int(0.75 * iters),
                                                     int(0.9 * iters)]
        assert cfg.model == base.model
        assert cfg.train_dataloader == base.train_dataloader
        assert cfg.optim_wrapper == base.optim_wrapper


def test_remeasure_or_retime_of_an_entry_without_a_row_says_so(tmp_path):
    (tmp_path / 'zoo.json').write_text('{}')
    for flag in ('--remeasure', '--retime'):
        with pytest.raises(pytest.fail.Exception) as exc:
            zoo(tmp_path, flag, '--only', NAME)
        assert f'{flag}: no result in' in str(exc.value), flag


def test_render_of_a_missing_or_broken_json_names_it(tmp_path):
    with pytest.raises(pytest.fail.Exception) as exc:
        zoo(tmp_path, '--render')
    assert f"{tmp_path / 'zoo.json'} not found" in str(exc.value)
    (tmp_path / 'zoo.json').write_text('{"a": ')
    with pytest.raises(pytest.fail.Exception) as exc:
        zoo(tmp_path, '--render')
    assert 'is not valid JSON' in str(exc.value)
    assert 'Traceback' not in str(exc.value)


def test_retime_on_a_busy_machine_records_nothing(tmp_path, monkeypatch):
    """A 40% slower speed, measured beside other work, went into a row's
    median."""
    tool = load_tool('tools/analysis/zoo.py')
    row = dict(machine=tool.this_machine(), batch_size=4,
               train_images_per_s=10.0, retimes=[10.0])
    out = tmp_path / 'zoo.json'
    out.write_text(json.dumps({NAME: row}))
    # 10 s of the tool's own wall time, 8 CPU-seconds of others on 2 cores
    monkeypatch.setattr(tool, 'run_tool',
                        lambda *a, **k: (10.0, 8.0 * os.cpu_count() / 2))
    args = tool.parse_args(['--configs', str(TINY), '--out', str(out),
                            '--retime', '--retime-iters', '8'])
    with pytest.raises(SystemExit) as exc:
        tool.retime(tool.entry_configs(args), {NAME: row}, out, args)
    assert 'recorded nothing' in str(exc.value) and '40%' in str(exc.value)
    assert json.loads(out.read_text())[NAME] == row  # unchanged


@pytest.mark.slow
def test_zoo_reports_an_mpii_entry_with_its_two_evaluation_sets(tmp_path):
    """An MPII-joint entry: the MPII table on the test set (PCKh with head
    boxes) and MMPose's PCKAccuracy on the held-out images (--split val)."""
    require_data('mpii'), require_data('mpii_sample')
    tiny = ROOT / 'tests' / 'configs' / 'zoo_tiny_mpii-64x64.py'
    python_tool(ZOO, '--configs', tiny, '--work-dir', tmp_path / 'work',
                '--out', tmp_path / 'mpii.json', '--table',
                tmp_path / 'mpii.md', '--plots', tmp_path / 'plots',
                '--readme', '')
    row = json.loads((tmp_path / 'mpii.json').read_text())[tiny.stem]
    assert {'Head PCK', 'PCK', 'AUC'} <= set(row['metrics'])
    assert 0 <= row['val_metrics']['PCK'] <= 1
    table = (tmp_path / 'mpii.md').read_text()
    assert 'PCKh@0.5 Mean' in table and 'held-out PCK (bbox)' in table
    assert tiny.stem.split('_')[1] in table
    assert 'started_from' not in row and 'a fine-tune' not in table
    # a fine-tune's row says where it started, and the table says so
    row['started_from'] = 'work_dirs/start.pth'
    table = load_tool('tools/analysis/zoo.py').mpii_table({tiny.stem: row})
    assert 'starts from `work_dirs/start.pth` (a fine-tune)' in table
