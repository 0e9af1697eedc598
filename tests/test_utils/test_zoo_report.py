"""The zoo's seed folding, noise and verdicts on hand-made rows."""
import math

import pytest

from mmpose_hourglass_ext.utils.zoo_report import (Comparison, mean_std,
                                                   pace_minutes, seed_noise,
                                                   summarize, verdict,
                                                   verdict_table)


def row(total, minutes=10.):
    return dict(metrics={'PCK@0.2/Total': total, 'PCK@0.2/Head': total},
                train_minutes=minutes, total_minutes=minutes + 1)


def name(label):
    return f'td-hm_{label}_1xb16-10000it_lsp+lspet-128x128'


RESULTS = {
    name('a'): row(0.70), name('a-seed1'): row(0.72),
    name('a-seed2'): row(0.74, 12.),
    name('b'): row(0.60), name('b-seed1'): row(0.62),
    name('c'): row(0.715), name('d'): row(0.80),
}


def test_seed_runs_fold_into_one_model_with_mean_and_sample_std():
    s = summarize(RESULTS)
    assert sorted(s) == ['a', 'b', 'c', 'd']
    assert s['a'].n == 3 and s['a'].mean['PCK@0.2/Total'] == pytest.approx(
        0.72)
    assert s['a'].std['PCK@0.2/Total'] == pytest.approx(0.02)  # ddof 1
    # seed 0 first although '-seed1' sorts before '_1xb16' by name: the
    # table's speeds and times are its run's
    assert [r['train_minutes'] for r in s['a'].runs] == [10., 10., 12.]
    assert s['a'].runs[0] is RESULTS[name('a')]
    assert 'train_minutes' not in s['a'].mean  # times are not averaged
    assert s['c'].n == 1 and s['c'].std['PCK@0.2/Total'] is None
    assert mean_std(s['a'], 'PCK@0.2/Total') == '72.0 ± 2.0'
    assert mean_std(s['c'], 'PCK@0.2/Total') == '71.5'


def test_noise_is_the_pooled_std_of_the_seeded_models():
    noise, dof = seed_noise(summarize(RESULTS))
    # a: 2 dof, variance 0.02^2; b: 1 dof, variance 0.01414^2 (0.0002)
    assert dof == 3
    assert noise == pytest.approx(math.sqrt((2 * 0.0004 + 0.0002) / 3))


def test_verdicts_use_two_standard_deviations_of_the_difference():
    s = summarize(RESULTS)
    noise, _ = seed_noise(s)  # 0.0183
    # a (3 seeds) vs c (1 run): 2 sd x sqrt(1/3 + 1) = 4.2 points
    assert verdict(s, Comparison('a', 'c', ''), noise)[1] == 'within noise'
    diff, text = verdict(s, Comparison('a', 'b', ''), noise)  # 3.3 points
    assert text == 'holds' and diff == pytest.approx(11.0)
    assert verdict(s, Comparison('a', 'd', ''), noise)[1] == 'contradicted'
    # two single runs 4.0 points apart: over 2 sd (3.7) but under the
    # 2 sd x sqrt(2) = 5.2 their difference varies by
    singles = summarize({**RESULTS, name('f'): row(0.755)})
    diff, text = verdict(singles, Comparison('f', 'c', ''), noise)
    assert diff == pytest.approx(4.0) and text == 'within noise'
    assert verdict(s, Comparison('a', 'e', ''), noise) == (None, 'pending')
    assert verdict(s, Comparison('a', 'b', ''), None)[1] == (
        'no seed runs yet')


def test_the_verdict_table_names_the_noise_it_used():
    table = verdict_table(summarize(RESULTS),
                          [Comparison('d', 'a', 'd beats a')])
    assert '| d beats a | d | a | +8.0 | holds |' in table
    assert 'standard deviation 1.83 points' in table
    assert 'under 5.2 points between two single runs' in table
    assert '3.0 between two three-seed means' in table
    assert 'With 3 degrees of freedom the noise estimate' in table
    four_dof = {**RESULTS, name('b-seed2'): row(0.61)}
    assert 'degrees of freedom the noise estimate' not in verdict_table(
        summarize(four_dof), [Comparison('d', 'a', 'd beats a')])
    single = {name('c'): row(0.7), name('d'): row(0.8)}
    assert 'no difference can be called real' in verdict_table(
        summarize(single), [Comparison('d', 'c', 'x')])


def test_train_minutes_at_the_median_pace():
    # 10,000 iterations of 16 images at 50 images/s: 0.32 s each, 53.3 min
    paced = dict(row(0.7, minutes=110.), iterations=10000, batch_size=16,
                 train_images_per_s=50.)
    assert pace_minutes(paced) == pytest.approx(10000 * 0.32 / 60)
    assert pace_minutes(row(0.7)) is None  # no speed recorded
