"""Hooks that stop a run from losing work or saving garbage.

* ``StopOnNonFiniteLossHook``: a diverging run (lr too high, a data
  preprocessor with std 0, broken labels) otherwise trains to the end and
  saves NaN checkpoints. It stops at the first non-finite loss, or at the
  first loss ``max_loss_ratio`` times the median of the run's first
  ``reference_iters`` losses (divergence that stays finite: Adam at lr 1000
  climbs to 1e13 and trains on), naming the iteration and the learning
  rate, before the checkpoint hook of that iteration runs, so the last
  checkpoint on disk is the last good one. It also refuses a training
  loop whose epochs hold no iteration (a batch larger than the dataset
  with ``drop_last=True``). (mmdet's ``CheckInvalidLossHook`` checks only
  every ``interval`` iterations and names neither.)
* ``SafeCheckpointHook``: mmengine 0.10.7's ``CheckpointHook`` deletes the
  oldest checkpoint (``max_keep_ckpts``) *before* writing the new one, and
  writes in place: a full disk then leaves no complete checkpoint, and
  ``last_checkpoint`` names a missing file, so ``--resume`` fails. This
  subclass writes the new checkpoint to a temporary file, renames it into
  place, updates ``last_checkpoint`` the same way, and only then removes
  the old checkpoints.
"""
import math
import os
import os.path as osp

import torch
from mmengine.dist import is_main_process
from mmengine.fileio.backends import LocalBackend
from mmengine.hooks import CheckpointHook, Hook
from mmpose.registry import HOOKS


class NonFiniteLossError(RuntimeError):
    pass


@HOOKS.register_module()
class StopOnNonFiniteLossHook(Hook):
    """Raise at the first training iteration whose loss is NaN or inf, or
    more than ``max_loss_ratio`` times the run's starting loss.

    Args:
        max_loss_ratio: the bound relative to the median loss of the first
            ``reference_iters`` iterations (this package's choice: 1000;
            a healthy heatmap run's loss only falls after them; ``None``
            turns the bound off).
        reference_iters: iterations that set the reference.
    """

    priority = 'ABOVE_NORMAL'  # before CheckpointHook (VERY_LOW) saves

    def __init__(self, max_loss_ratio=1000., reference_iters: int = 20):
        self.max_loss_ratio = max_loss_ratio
        self.reference_iters = reference_iters
        self._start = []

    def before_train(self, runner) -> None:
        loader = runner.train_dataloader
        if hasattr(loader, '__len__') and len(loader) == 0:
            batch = getattr(loader, 'batch_size', None)
            raise ValueError(
                f'train_dataloader gives no batch: its dataset has '
                f'{len(loader.dataset)} samples, batch_size is {batch} and '
                'drop_last drops the incomplete batch, so every epoch would '
                'train zero iterations. Lower train_dataloader.batch_size '
                'or set train_dataloader.drop_last=False.')

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        if not outputs:
            return
        bad, total = {}, None
        for name, value in outputs.items():
            if 'loss' not in name:
                continue
            value = float(value.detach().float().mean()) if isinstance(
                value, torch.Tensor) else float(value)
            if not math.isfinite(value):
                bad[name] = value
            elif name == 'loss':
                total = value
        reason = 'not finite'
        if not bad and self.max_loss_ratio and total is not None:
            if len(self._start) < self.reference_iters:
                self._start.append(total)
            # inside the reference window the first loss is the reference,
            # so a run that explodes there (Adam at lr 1000: 1e13 by
            # iteration 5) is caught too
            reference = (self._start[0] if len(self._start) <
                         self.reference_iters else
                         sorted(self._start)[len(self._start) // 2])
            if reference > 0 and total > self.max_loss_ratio * reference:
                bad['loss'] = total
                reason = (f'{total / reference:.3g} times its starting '
                          f'value {reference:.3g} (the bound is '
                          f'max_loss_ratio={self.max_loss_ratio:g} of '
                          'StopOnNonFiniteLossHook)')
        if not bad:
            return
        lrs = runner.optim_wrapper.get_lr()
        lr = (f'lr {next(iter(lrs.values()))[0]:.3g}' if lrs else
              'lr unknown')
        last = None
        last_file = osp.join(runner.work_dir, 'last_checkpoint')
        if osp.isfile(last_file):
            last = open(last_file).read().strip()
        losses = ', '.join(f'{k} = {v:.6g}' for k, v in bad.items())
        raise NonFiniteLossError(
            f'training diverged at iteration {runner.iter + 1}: {losses}, '
            f'{reason} ({lr}). Stopped before saving: '
            + (f'the last checkpoint, {last}, has finite weights. '
               if last else 'no checkpoint was saved yet. ') +
            'Lower the learning rate, check the data (non-finite or '
            'constant images) and data_preprocessor.std (must not be 0).')


@HOOKS.register_module()
class SafeCheckpointHook(CheckpointHook):
    """``CheckpointHook`` that never leaves the work dir without a complete
    checkpoint (write to a temporary file, rename, then prune)."""

    def _save_checkpoint_with_step(self, runner, step, meta):
        if not isinstance(self.file_backend, LocalBackend):
            return super()._save_checkpoint_with_step(runner, step, meta)
        filename = self.filename_tmpl.format(step)
        final = osp.join(self.out_dir, filename)
        partial = filename + '.partial'
        try:
            runner.save_checkpoint(
                self.out_dir, partial, self.file_client_args,
                save_optimizer=self.save_optimizer,
                save_param_scheduler=self.save_param_scheduler, meta=meta,
                by_epoch=self.by_epoch, backend_args=self.backend_args,
                **self.args)
        except BaseException as err:
            if is_main_process() and osp.exists(osp.join(self.out_dir,
                                                         partial)):
                os.remove(osp.join(self.out_dir, partial))
            if isinstance(err, OSError):
                raise OSError(
                    err.errno, f'could not write checkpoint {final} '
                    f'({err.strerror or err}); the previous checkpoints '
                    'are kept and --resume continues from the last of '
                    'them. Free disk space or set max_keep_ckpts lower.'
                ) from err
            raise
        main = is_main_process()
        if main:
            os.replace(osp.join(self.out_dir, partial), final)
            pointer = osp.join(runner.work_dir, 'last_checkpoint')
            with open(pointer + '.partial', 'w') as f:
                f.write(final)
            os.replace(pointer + '.partial', pointer)
        self.last_ckpt = final
        runner.message_hub.update_info('last_ckpt', final)
        # prune only now that the new checkpoint is complete (the deque's
        # maxlen is max_keep_ckpts: pop before appending)
        if self.max_keep_ckpts > 0 and (not self.keep_ckpt_ids or
                                        self.keep_ckpt_ids[-1] != step):
            if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
                old = osp.join(self.out_dir, self.filename_tmpl.format(
                    self.keep_ckpt_ids.popleft()))
                if main and osp.isfile(old) and old != final:
                    os.remove(old)
            self.keep_ckpt_ids.append(step)
            runner.message_hub.update_info('keep_ckpt_ids',
                                           list(self.keep_ckpt_ids))
