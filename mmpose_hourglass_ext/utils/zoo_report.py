"""The model zoo's numbers as a reader needs them: runs of one entry with
different seeds folded into mean +- std, the seed noise, and the verdict
on each comparison (a difference under two of its own standard
deviations, from the seed noise, is "within noise"). Pure functions over
the zoo's JSON rows, used by tools/analysis/zoo.py."""
import math
import re
import statistics
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

TOTAL = 'PCK@0.2/Total'
SEED_SUFFIX = re.compile(r'-seed(\d+)$')


def entry_label(name: str) -> str:
    """``td-hm_sghg2-64-seed1_1xb16-...`` -> ``sghg2-64-seed1``."""
    parts = name.split('_')
    return parts[1] if len(parts) > 2 else name


def model_label(name: str) -> str:
    """The entry's label without its seed: ``sghg2-64-seed1`` ->
    ``sghg2-64`` (the runs of one model)."""
    return SEED_SUFFIX.sub('', entry_label(name))


def seed_of(name: str) -> int:
    """``...-seed2_...`` -> 2; the entry without a suffix is seed 0."""
    match = SEED_SUFFIX.search(entry_label(name))
    return int(match.group(1)) if match else 0


class Summary(NamedTuple):
    """One model's runs (one per seed, seed 0 first): the accuracy's means,
    and sample standard deviations where there are two runs or more.

    Speeds and times are the seed-0 run's (``first``), not means: the seed
    runs may have trained on another machine (the zoo spans sessions), and
    the table compares every model's speed on one."""
    label: str
    runs: List[dict]
    mean: Dict[str, float]
    std: Dict[str, Optional[float]]

    @property
    def n(self) -> int:
        return len(self.runs)

    def first(self, key):
        return self.runs[0][key]


def pace_minutes(row: dict) -> Optional[float]:
    """The entry's training minutes at its median logged iteration time
    (iterations x batch / train images/s): what it takes on a machine to
    itself. The wall clock also counts pauses and other processes' use
    of the cores; the median does not count pauses (``zoo.py --retime``
    measures the speed again where sharing slowed most iterations)."""
    speed = row.get('train_images_per_s')
    if not speed or 'iterations' not in row or 'batch_size' not in row:
        return None
    return row['iterations'] * row['batch_size'] / speed / 60


def summarize(results: Dict[str, dict]) -> Dict[str, Summary]:
    """{model label: Summary} over the zoo's rows ({config name: row})."""
    grouped: Dict[str, List[dict]] = {}
    for name in sorted(results, key=lambda n: (model_label(n), seed_of(n))):
        grouped.setdefault(model_label(name), []).append(results[name])
    summaries = {}
    for label, runs in grouped.items():
        keys = set.intersection(*(set(r['metrics']) for r in runs))
        mean, std = {}, {}
        for key in sorted(keys):
            values = [r['metrics'][key] for r in runs]
            mean[key] = statistics.fmean(values)
            std[key] = statistics.stdev(values) if len(values) > 1 else None
        summaries[label] = Summary(label, runs, mean, std)
    return summaries


def seed_noise(summaries: Dict[str, Summary],
               key: str = TOTAL) -> Tuple[Optional[float], int]:
    """The pooled sample standard deviation of ``key`` over the models run
    with several seeds, and its degrees of freedom (None, 0 without
    any)."""
    num = dof = 0.
    for s in summaries.values():
        if s.n > 1 and s.std.get(key) is not None:
            num += (s.n - 1) * s.std[key]**2
            dof += s.n - 1
    return (math.sqrt(num / dof), int(dof)) if dof else (None, 0)


class Comparison(NamedTuple):
    """A claim that entry ``better`` beats entry ``worse`` (model
    labels), e.g. a paper's ablation at the zoo's budget."""
    better: str
    worse: str
    claim: str


def verdict(summaries: Dict[str, Summary], comparison: Comparison,
            noise: Optional[float], key: str = TOTAL) -> Tuple[
                Optional[float], str]:
    """(difference in points, verdict) of one comparison: 'holds' or
    'contradicted' when the difference is at least two standard deviations
    of itself, else 'within noise'; 'pending' while an entry has no
    result, 'no seed runs yet' while the noise is unknown.

    The difference of a mean over n1 seeds and one over n2 seeds varies
    with standard deviation noise * sqrt(1/n1 + 1/n2): two single runs
    differ by noise * 1.41 by chance, two three-seed means by 0.82."""
    a, b = summaries.get(comparison.better), summaries.get(comparison.worse)
    if a is None or b is None:
        return None, 'pending'
    diff = 100 * (a.mean[key] - b.mean[key])
    if noise is None:
        return diff, 'no seed runs yet'
    if abs(diff) < 2 * 100 * noise * math.sqrt(1 / a.n + 1 / b.n):
        return diff, 'within noise'
    return diff, 'holds' if diff > 0 else 'contradicted'


def mean_std(summary: Summary, key: str, scale: float = 100.,
             digits: int = 1) -> str:
    """``78.2`` or ``78.2 ± 0.3`` (the runs' sample std)."""
    text = f'{scale * summary.mean[key]:.{digits}f}'
    if summary.std.get(key) is not None:
        text += f' ± {scale * summary.std[key]:.{digits}f}'
    return text


# three seeds for each of two models: the noise the zoo plans for
PLANNED_DOF = 4


def verdict_table(summaries: Dict[str, Summary],
                  comparisons: Sequence[Comparison]) -> str:
    """Markdown: each comparison with its difference and verdict, and the
    noise it was judged against."""
    noise, dof = seed_noise(summaries)
    lines = ['| claim | entry | against | difference (points) | verdict |',
             '|---|---|---|---|---|']
    for c in comparisons:
        diff, text = verdict(summaries, c, noise)
        shown = '-' if diff is None else f'{diff:+.1f}'
        lines.append(f'| {c.claim} | {c.better} | {c.worse} | {shown} | '
                     f'{text} |')
    if noise is None:
        note = ('No model has several seeds yet, so no difference can be '
                'called real.')
    else:
        note = (f'Seed noise: PCK@0.2 Total standard deviation '
                f'{100 * noise:.2f} points (pooled over the models run with '
                f'several seeds, {dof} degrees of freedom). A difference '
                'is within noise when it is under two standard deviations '
                'of itself, 2 sd x sqrt(1/n1 + 1/n2) for means over n1 '
                f'and n2 seeds: under {200 * noise * math.sqrt(2):.1f} '
                'points between two single runs, '
                f'{200 * noise * math.sqrt(2 / 3):.1f} between two '
                'three-seed means.')
        if dof < PLANNED_DOF:
            note += (f' With {dof} degrees of freedom the noise estimate '
                     'is itself rough (the zoo plans three seeds for two '
                     f'models, {PLANNED_DOF}): verdicts may change as the '
                     'seed runs come in.')
    return '\n'.join(lines) + '\n\n' + note + '\n'
