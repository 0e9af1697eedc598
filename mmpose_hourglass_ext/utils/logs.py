"""Reading and plotting mmengine's training logs
(``<work_dir>/<timestamp>/vis_data/scalars.json``: one JSON record per
logged iteration, and per validation). Iteration-based runs, which MMPose's
``analyze_logs.py`` does not read (it indexes records by epoch)."""
import json
from pathlib import Path
from typing import Dict, List, Sequence, Tuple, Union


def scalar_files(path: Union[str, Path]) -> List[Path]:
    """The scalars.json files of a work dir (every run of a resumed
    training, oldest first), or ``[path]`` for a file."""
    path = Path(path)
    if path.is_file():
        return [path]
    found = sorted(path.glob('*/vis_data/scalars.json'))
    if not found:
        raise FileNotFoundError(
            f'no training log under {path} (mmengine writes '
            '<work_dir>/<timestamp>/vis_data/scalars.json): give the work '
            'dir of a training run or that file')
    return found


def read_curves(path: Union[str, Path],
                keys: Sequence[str] = ('loss', )
                ) -> Dict[str, List[Tuple[int, float]]]:
    """``{key: [(step, value), ...]}`` over every run in ``path``; where a
    resumed run logs a step again, the later run's value counts."""
    curves = {key: {} for key in keys}
    for scalars in scalar_files(path):
        for line in scalars.read_text().splitlines():
            record = json.loads(line)
            for key in keys:
                if key in record and 'step' in record:
                    curves[key][record['step']] = record[key]
    return {key: sorted(points.items()) for key, points in curves.items()}


def plot_curves(series: Dict[str, List[Tuple[int, float]]], out: Path,
                ylabel: str = 'training loss', log_y: bool = True,
                title: str = '') -> Path:
    """One line per ``{label: [(step, value)]}``, saved to ``out``."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for label, points in series.items():
        if points:
            steps, values = zip(*points)
            ax.plot(steps, values, label=label, lw=1)
    if log_y:
        ax.set_yscale('log')
    ax.set_xlabel('iteration')
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    if len(series) > 1:
        ax.legend(fontsize=8)
    fig.tight_layout()
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return Path(out)


def train_time_summary(path: Union[str, Path], skip: int = 1,
                       batch_size: int = None) -> dict:
    """How fast a training ran, from its log. mmengine logs ``time`` and
    ``data_time`` every ``logger.interval`` iterations, each the mean over
    the last window of iterations (``memory``, the CUDA allocator's peak in
    MB, only on GPUs). The first ``skip`` logged values are warm-up (cuDNN
    autotuning, the loader's first batches) and are left out of the
    medians; with ``batch_size``, images per second too."""
    import statistics
    curves = read_curves(path, ('time', 'data_time', 'memory', 'loss'))
    times = [v for _, v in curves['time']]
    if len(times) <= skip:
        raise ValueError(
            f'{path}: {len(times)} logged iteration times, not more than '
            f'--skip {skip}; log more often (default_hooks.logger.interval)')
    median = statistics.median(times[skip:])
    summary = dict(
        last_iter=curves['time'][-1][0], logged=len(times), skipped=skip,
        median_s_per_iter=round(median, 4),
        median_data_s_per_iter=round(statistics.median(
            v for _, v in curves['data_time'][skip:]), 4)
        if len(curves['data_time']) > skip else None,
        max_memory_MB=max((v for _, v in curves['memory']), default=None),
        first_loss=curves['loss'][0][1] if curves['loss'] else None,
        last_loss=curves['loss'][-1][1] if curves['loss'] else None)
    if batch_size:
        summary.update(batch_size=batch_size,
                       img_per_s=round(batch_size / median, 1))
    return summary
