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
