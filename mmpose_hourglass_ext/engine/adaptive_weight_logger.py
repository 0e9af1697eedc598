"""Shows which keypoints the adaptive loss weights emphasise."""
import json
import os.path as osp
from typing import List, Optional

from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmpose.registry import HOOKS

from ..models.losses.adaptive_mse import AdaptiveWeightedMSELoss


@HOOKS.register_module()
class AdaptiveWeightLoggerHook(Hook):
    """Every ``interval`` training iterations, logs the mean weight of every
    stage and keypoint of each :class:`AdaptiveWeightedMSELoss` in the model
    (averaged over those iterations) as a table, and appends it as one JSON
    line to ``<log_dir>/adaptive_weights.jsonl``. Weights above 1/K mark the
    keypoints a stage is pushed to work on. Each line also holds, per
    stage update, the mean beta_j and the fraction of batches in which the
    update was skipped (beta_j >= 1, AdaBoost.R2's stop): a run whose
    ``no_update`` stays at 1 trains with uniform weights.

    On several GPUs each rank weights its own batch; rank 0's are logged.
    """

    priority = 'LOW'

    def __init__(self, interval: int = 50):
        self.interval = interval

    def before_train(self, runner) -> None:
        """Fail early when a head calls the loss a different number of times
        per batch than the loss's ``num_stages`` (the weights would then
        carry over between batches)."""
        for head in runner.model.modules():
            loss = getattr(head, 'loss_module', None)
            if not isinstance(loss, AdaptiveWeightedMSELoss):
                continue
            calls = (getattr(head, 'num_stages', 1) *
                     getattr(head, 'num_units', 1))
            if calls != loss.num_stages:
                raise ValueError(
                    f'{type(head).__name__} calls its loss {calls} times per '
                    f'batch but AdaptiveWeightedMSELoss has num_stages='
                    f'{loss.num_stages}: set the loss\'s num_stages to '
                    f'{calls} in the config')

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        if not self.every_n_train_iters(runner, self.interval):
            return
        for loss in self._losses(runner.model):
            stats = loss.pop_stats()
            if stats is None or not is_main_process():
                continue
            mean = stats['weights']
            names = self._keypoint_names(runner, mean.shape[1])
            line = dict(iter=runner.iter + 1, keypoints=names,
                        weights=[[round(w, 5) for w in row]
                                 for row in mean.tolist()])
            table = self.table(mean, names, runner.iter + 1)
            if 'beta' in stats:
                line.update(beta=[round(b, 5) for b in stats['beta'].tolist()],
                            no_update=[round(n, 4) for n in
                                       stats['no_update'].tolist()])
                table += ('\nbeta_j per stage update: ' + ' '.join(
                    f'{b:.3f}' for b in line['beta']) +
                    '; share of batches without update: ' + ' '.join(
                        f'{n:.2f}' for n in line['no_update']))
            runner.logger.info(table)
            with open(osp.join(runner.log_dir, 'adaptive_weights.jsonl'),
                      'a') as f:
                f.write(json.dumps(line) + '\n')

    @staticmethod
    def _losses(model) -> List[AdaptiveWeightedMSELoss]:
        return [m for m in model.modules()
                if isinstance(m, AdaptiveWeightedMSELoss)]

    @staticmethod
    def _keypoint_names(runner, num: int) -> List[str]:
        meta: Optional[dict] = getattr(
            getattr(runner.train_dataloader, 'dataset', None), 'metainfo',
            None)
        id2name = (meta or {}).get('keypoint_id2name', {})
        return [id2name.get(i, str(i)) for i in range(num)]

    @staticmethod
    def table(mean, names: List[str], iteration: int) -> str:
        width = max(6, *(len(n) for n in names))
        lines = [f'adaptive keypoint weights (mean over the last iterations '
                 f'up to {iteration}; uniform = {1 / len(names):.4f})',
                 'stage  ' + ' '.join(n.rjust(width) for n in names)]
        for j, row in enumerate(mean.tolist()):
            lines.append(f'{j:>5}  ' + ' '.join(f'{w:{width}.4f}'
                                                 for w in row))
        return '\n'.join(lines)
