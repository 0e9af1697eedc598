"""Runner set-up shared by tools/train.py and tools/test.py."""
import argparse
import atexit
import contextlib
import os
import os.path as osp
import re
import sys

import torch
import torch.distributed as dist
from mmengine.config import Config, DictAction

from .annotation_checks import check_coco_annotations


class KeyValueAction(DictAction):
    """mmengine's ``DictAction`` with a sentence instead of
    ``ValueError: not enough values to unpack`` for an item without '='."""

    def __call__(self, parser, namespace, values, option_string=None):
        bare = [v for v in values if '=' not in v]
        if bare:
            parser.error(f'{option_string} takes KEY=VALUE items; '
                         f'{", ".join(map(repr, bare))} has no value (e.g. '
                         'train_cfg.max_iters=10)')
        super().__call__(parser, namespace, values, option_string)


def add_common_args(parser: argparse.ArgumentParser) -> None:
    """Arguments both tools take, as MMPose's tools spell them."""
    parser.add_argument('--work-dir', help='where logs and checkpoints go '
                        '(default: work_dirs/<config name>)')
    parser.add_argument(
        '--cfg-options', nargs='+', action=KeyValueAction,
        help='override config entries, e.g. train_cfg.max_iters=10')
    parser.add_argument('--launcher', default='none',
                        choices=['none', 'pytorch', 'slurm', 'mpi'])
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def add_visualization_args(parser: argparse.ArgumentParser,
                           badcase: bool = False) -> None:
    """MMPose's visualization flags, so its commands (and slurm_*.sh
    lines written for its tools) run here unchanged."""
    parser.add_argument('--show-dir', help='draw predicted skeletons into '
                        'this folder (under <work dir>/<timestamp>/)')
    parser.add_argument('--show', action='store_true',
                        help='show the drawn predictions in a window')
    parser.add_argument('--interval', type=int, default=1,
                        help='draw every n-th sample')
    parser.add_argument('--wait-time', type=float, default=1,
                        help='seconds each shown image stays (--show)')
    if badcase:
        parser.add_argument('--badcase', action='store_true',
                            help="MMPose's bad-case analysis "
                            '(BadCaseAnalysisHook in default_hooks)')


def apply_visualization_args(cfg: Config, args: argparse.Namespace) -> None:
    """What MMPose's tools do with those flags, with errors that name the
    missing hook instead of a bare assert."""
    badcase = getattr(args, 'badcase', False)
    hooks = cfg.default_hooks
    if (args.show and not badcase) or args.show_dir:
        if 'visualization' not in hooks:
            raise ValueError(
                '--show/--show-dir need default_hooks.visualization; add '
                "visualization=dict(type='PoseVisualizationHook') to the "
                "config's default_hooks")
        hooks.visualization.update(
            enable=True, show=args.show and not badcase,
            out_dir=args.show_dir, interval=args.interval)
        if args.show:
            hooks.visualization.wait_time = args.wait_time
    if badcase:
        if 'badcase' not in hooks:
            raise ValueError(
                "--badcase needs default_hooks.badcase; add badcase=dict("
                "type='BadCaseAnalysisHook') to the config's default_hooks")
        hooks.badcase.update(enable=True, show=args.show,
                             interval=args.interval)
        if args.show:
            hooks.badcase.wait_time = args.wait_time
        kind = hooks.badcase.get('metric_type', 'loss')
        if kind not in ('loss', 'accuracy'):
            raise ValueError(f"default_hooks.badcase.metric_type {kind!r}: "
                             "use 'loss' or 'accuracy'")
        if not hooks.badcase.get('metric'):
            hooks.badcase.metric = (cfg.model.head.loss if kind == 'loss'
                                    else cfg.test_evaluator)


def load_config(args: argparse.Namespace) -> Config:
    """The config with ``--cfg-options`` applied and its work dir set."""
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    if not osp.isfile(args.config):
        raise SystemExit(f'config {args.config} not found (working directory '
                         f'{os.getcwd()}); the shipped configs are under '
                         'configs/')
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    cfg.work_dir = args.work_dir or cfg.get('work_dir') or osp.join(
        'work_dirs', osp.splitext(osp.basename(args.config))[0])
    check_writable(osp.join(cfg.work_dir, '.write_check'))
    check_keypoint_counts(cfg)
    check_target_size(cfg)
    check_coco_annotations(cfg)
    return cfg


def setup_launcher(cfg: Config, launcher: str) -> Config:
    """Make ``--launcher pytorch`` work on machines without a GPU.

    mmengine 0.10.7 always calls ``torch.cuda.set_device`` while initialising
    the process group and wraps the model in DDP with ``device_ids=[rank]``,
    both of which fail on CPU. On a CPU-only machine we initialise the gloo
    group ourselves (mmengine then skips its own init) and give DDP no device.
    On GPUs nothing changes.
    """
    cfg.launcher = launcher
    missing = [key for key in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR')
               if key not in os.environ]
    if launcher == 'pytorch' and missing:
        raise ValueError(
            f'--launcher pytorch: {", ".join(missing)} not set, so this '
            'process was not started by torchrun. Start it with '
            'tools/dist_train.sh CONFIG NUM_PROCESSES (or torchrun '
            '--nproc_per_node N tools/train.py CONFIG --launcher pytorch); '
            'for one process drop --launcher.')
    if launcher == 'none' or torch.cuda.is_available():
        return cfg
    if launcher != 'pytorch':
        raise RuntimeError(f'--launcher {launcher} needs GPUs; on CPU use '
                           'tools/dist_train.sh (torchrun, gloo backend)')
    cfg.env_cfg.setdefault('dist_cfg', {})['backend'] = 'gloo'
    # the same wrapper arguments mmengine uses when none is configured
    wrapper = cfg.get('model_wrapper_cfg') or dict(
        type='MMDistributedDataParallel',
        broadcast_buffers=False,
        find_unused_parameters=cfg.get('find_unused_parameters', False))
    wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper
    if not dist.is_initialized():
        dist.init_process_group(
            backend='gloo',
            rank=int(os.environ['RANK']),
            world_size=int(os.environ['WORLD_SIZE']))
        # every way out of the process leaves the group first, exceptions
        # included: finish_launcher only runs after a normal end
        atexit.register(leave_process_group)
    return cfg


def leave_process_group() -> None:
    """Destroy the process group if it is still there. A gloo process
    that exits with the group alive can abort in its threads' destructors
    ("terminate called without an active exception", exit -6) after its
    work is done: the paths that skipped finish_launcher (an exception on
    one rank after training, SystemExit from a check) end here."""
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


def finish_launcher() -> None:
    """Leave the process group before the interpreter exits.

    Without this, a gloo rank that is still tearing down its threads when
    Python exits aborts with "terminate called without an active
    exception" (exit code -6) although its work is done; it showed up when
    rank 0 spent longer than the others writing its result files.
    """
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        leave_process_group()


# ---------------------------------------------------------------------------
# Checks that turn silent wrong results into errors naming the fix
# ---------------------------------------------------------------------------

def read_checkpoint(path: str) -> dict:
    """A checkpoint file as ``{'state_dict': {key: tensor}, 'meta': ...,
    ...}`` (a bare state dict gets wrapped; DDP's ``module.`` prefixes are
    dropped), or a FileNotFoundError/ValueError naming the file and what to
    give instead. The one checkpoint reader of the package's tools."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'checkpoint {path} not found')
    try:
        checkpoint = torch.load(path, map_location='cpu')
    except Exception as err:  # pickle, zip, weights_only refusals, ...
        raise ValueError(
            f'{path} is not a PyTorch checkpoint this package can read '
            f'({type(err).__name__}: {str(err)[:300]}); give the .pth file '
            'that tools/train.py wrote') from err
    if not isinstance(checkpoint, dict):
        checkpoint = None
    elif 'state_dict' not in checkpoint:
        checkpoint = dict(state_dict=checkpoint)
    state = checkpoint and checkpoint['state_dict']
    if not isinstance(state, dict) or not state or not all(
            isinstance(v, torch.Tensor) for v in state.values()):
        raise ValueError(f'{path} holds no model weights (no state_dict of '
                         'tensors); give the .pth that tools/train.py wrote')
    checkpoint['state_dict'] = {
        k[len('module.'):] if k.startswith('module.') else k: v
        for k, v in state.items()}
    return checkpoint


def read_checkpoint_state(path: str) -> dict:
    """The model state of a checkpoint file (see ``read_checkpoint``)."""
    return read_checkpoint(path)['state_dict']


def save_new_file(checkpoint: dict, path: str) -> None:
    """Write a checkpoint a tool made (its folder created as needed),
    through a temporary file, so an interrupted write leaves no half
    file under the final name."""
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    partial = path + '.partial'
    torch.save(checkpoint, partial)
    os.replace(partial, path)


def check_checkpoint_fits(model: torch.nn.Module, path: str,
                          config: str = 'the config') -> None:
    """Raise a ValueError naming the missing, unexpected and wrong-size
    keys when ``path`` does not hold weights for exactly ``model``."""
    from mmengine.model import is_model_wrapper

    from ..models.utils import check_state_fits
    if is_model_wrapper(model):
        model = model.module
    check_state_fits(
        model, read_checkpoint_state(path),
        header=f'checkpoint {path} does not fit the model of {config}:')


def load_checkpoints_strictly(runner, config: str) -> None:
    """Make every checkpoint the runner loads (``load_from``, ``--resume``)
    fit its model exactly. mmengine 0.10.7 loads with ``strict=False`` and
    only warns about size mismatches, so another model's checkpoint gives a
    half-random model whose metrics are printed with exit code 0."""
    original = runner.load_checkpoint

    def load_checkpoint(filename, *args, **kwargs):
        check_checkpoint_fits(runner.model, filename, config)
        kwargs['strict'] = True
        return original(filename, *args, **kwargs)

    runner.load_checkpoint = load_checkpoint


def work_dir_checkpoints(work_dir: str) -> list:
    if not osp.isdir(work_dir):
        return []
    return sorted(f for f in os.listdir(work_dir)
                  if f.endswith('.pth') or f == 'last_checkpoint')


def resume_target(work_dir: str):
    """The checkpoint ``--resume`` continues from: the file
    ``last_checkpoint`` names, taken inside ``work_dir`` (mmengine records
    an absolute path, so a copied work dir would resume from the original's
    checkpoint and a moved one would find nothing)."""
    last = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(last):
        return None
    recorded = open(last).read().strip()
    if not recorded:
        return None
    here = osp.join(work_dir, osp.basename(recorded))
    return here if osp.isfile(here) else None


def check_work_dir(work_dir: str, resume, overwrite: bool):
    """Refuse to train over another run's checkpoints, and to "resume"
    when there is nothing to resume. Returns the checkpoint to resume from
    (for ``--resume`` without a value), else None."""
    found = work_dir_checkpoints(work_dir)
    if resume == 'auto':
        target = resume_target(work_dir)
        if target is None:
            raise FileNotFoundError(
                f'--resume: nothing to resume in {work_dir} (no '
                'last_checkpoint naming a checkpoint in that folder); train '
                'without --resume, or give the checkpoint: --resume PATH')
        return target
    if resume is None and found and not overwrite:
        raise FileExistsError(
            f'{work_dir} already holds checkpoints of a run ({", ".join(found[:4])}'
            f'{" ..." if len(found) > 4 else ""}): training there would '
            'overwrite them, and a later --resume would mix the two runs. '
            'Use --resume to continue that run, another --work-dir, or '
            '--overwrite to replace it.')
    return None


# the hooks of the package's default runtime that guard a run; a config's
# own ``custom_hooks`` replaces that list (mmengine merges lists by
# replacement), so the package's tools put back the missing ones
PACKAGE_HOOKS = ('StopOnNonFiniteLossHook', 'FlushDenormalsHook')


def keep_package_hooks(cfg: Config) -> list:
    """Add the ``PACKAGE_HOOKS`` a config's ``custom_hooks`` left out;
    returns the names added."""
    hooks = list(cfg.get('custom_hooks') or [])
    present = {h.get('type') for h in hooks if isinstance(h, dict)}
    added = [name for name in PACKAGE_HOOKS if name not in present]
    cfg.custom_hooks = hooks + [dict(type=name) for name in added]
    return added


TRAINING_LOCK = '.training.pid'


def claim_work_dir(work_dir: str) -> None:
    """Refuse a work dir that another live training on this machine is
    writing (two runs there overwrite each other's checkpoints and config),
    then mark it as this process's until it exits. Only the main process of
    a distributed run claims it; a mark left by a killed run is taken over."""
    import socket
    # the launcher's rank (torchrun: RANK; slurm: SLURM_PROCID; mpi:
    # OMPI_COMM_WORLD_RANK), set before mmengine initialises the group
    rank = next((os.environ[k] for k in ('RANK', 'SLURM_PROCID',
                                         'OMPI_COMM_WORLD_RANK')
                 if k in os.environ), '0')
    if rank != '0':
        return
    lock = osp.join(work_dir, TRAINING_LOCK)
    host = socket.gethostname()
    try:
        with open(lock) as f:
            other_host, other_pid = f.read().split()
        other_pid = int(other_pid)
    except (OSError, ValueError):
        other_host = other_pid = None
    if other_host == host and other_pid != os.getpid() and _alive(other_pid):
        raise FileExistsError(
            f'{work_dir} is the work dir of another training that is still '
            f'running (process {other_pid}, named in {lock}): a second run '
            'there would overwrite its checkpoints and config. Give this '
            'run another --work-dir, or wait for that one to finish.')
    os.makedirs(work_dir, exist_ok=True)
    with open(lock, 'w') as f:
        f.write(f'{host} {os.getpid()}\n')

    def release():
        with contextlib.suppress(OSError):
            with open(lock) as f:
                mine = f.read().split() == [host, str(os.getpid())]
            if mine:
                os.remove(lock)
    atexit.register(release)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def dataset_keypoints(dataset_cfg) -> 'int | None':
    """Keypoint count of a dataset config from its metainfo, or None."""
    from mmpose.datasets.datasets.utils import parse_pose_metainfo
    from mmpose.registry import DATASETS
    if dataset_cfg is None:
        return None
    if dataset_cfg.get('keypoints_of'):  # CombinedAsDataset
        return dataset_keypoints(dict(type=dataset_cfg['keypoints_of']))
    if dataset_cfg.get('type') == 'ConcatDataset':
        counts = {dataset_keypoints(d) for d in dataset_cfg['datasets']}
        return counts.pop() if len(counts) == 1 else None
    metainfo = dataset_cfg.get('metainfo')
    if metainfo is None:
        cls = DATASETS.get(dataset_cfg.get('type', ''))
        metainfo = getattr(cls, 'METAINFO', None)
    if not metainfo:
        return None
    try:
        return parse_pose_metainfo(dict(metainfo))['num_keypoints']
    except Exception:  # an unreadable metainfo is the dataset's to report
        return None


def check_keypoint_counts(cfg: Config) -> None:
    """Backbone, head, codec and datasets must agree on K, else training
    stops deep inside the loss with a tensor broadcasting error."""
    model = cfg.get('model', {})
    backbone, head = model.get('backbone', {}), model.get('head', {})
    counts = {}
    if 'num_keypoints' in backbone:
        counts['model.backbone.num_keypoints'] = backbone['num_keypoints']
    if 'out_channels' in head:  # heatmap heads: one channel per keypoint
        counts['model.head.out_channels'] = head['out_channels']
    for split in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        loader = cfg.get(split)
        k = dataset_keypoints(loader.get('dataset')) if loader else None
        if k is not None:
            counts[f'{split}.dataset (its metainfo)'] = k
    if len(set(counts.values())) > 1:
        listed = ', '.join(f'{name} = {k}' for name, k in counts.items())
        raise ValueError(
            f'the keypoint counts of this config disagree: {listed}. Set '
            'them all to the dataset\'s count (e.g. num_keypoints = K at the '
            'top of the config, used by the backbone and the head; see '
            'docs/custom_dataset.md).')


def pipeline_steps(dataset_cfg):
    """Every step of a dataset config's pipelines, wrapped datasets'
    included."""
    if not dataset_cfg:
        return
    yield from dataset_cfg.get('pipeline') or []
    for inner in dataset_cfg.get('datasets') or []:
        yield from pipeline_steps(inner)


def check_target_size(cfg: Config) -> None:
    """The training targets (``GenerateTarget``'s encoder) must have the
    heatmap size the head decodes, else the loss stops with a raw
    broadcasting error."""
    decoder = cfg.get('model', {}).get('head', {}).get('decoder') or {}
    size = decoder.get('heatmap_size')
    loader = cfg.get('train_dataloader') or {}
    for step in pipeline_steps(loader.get('dataset')):
        encoder = step.get('encoder') if step.get(
            'type') == 'GenerateTarget' else None
        if not isinstance(encoder, dict) or size is None:
            continue
        made = encoder.get('heatmap_size')
        if made is not None and tuple(made) != tuple(size):
            raise ValueError(
                f'train_dataloader: GenerateTarget makes {tuple(made)} '
                f'heatmaps, but model.head.decoder has heatmap_size '
                f'{tuple(size)}: the loss would compare the two. Use one '
                'codec for both (codec = dict(...) at the top of the '
                'config, as encoder=codec and decoder=codec).')


def check_writable(path: str) -> None:
    """Fail before a long evaluation, not after, when ``path`` (a file to
    write) cannot be written: try creating a file beside it."""
    import tempfile
    folder = osp.dirname(osp.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix='.write_check'):
            pass
        if osp.exists(path) and not os.access(path, os.W_OK):
            raise PermissionError(f'{path} is read-only')
    except OSError as err:
        raise PermissionError(
            f'cannot write {path} ({err.strerror or err}): give --out (or '
            '--work-dir) a folder you can write to') from err


def same_file(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if osp.exists(a) and osp.exists(b):
        return osp.samefile(a, b)
    return osp.realpath(a) == osp.realpath(b)


CHECKPOINT_SUFFIXES = ('.pth', '.pt', '.ckpt')


def refuse_checkpoint_names(outputs: dict) -> None:
    """For tools that write results, not weights: an output named like a
    checkpoint (``--out W/iter_2.pth``) would replace one."""
    for name, out in outputs.items():
        if out and out.endswith(CHECKPOINT_SUFFIXES):
            raise ValueError(
                f'{name} {out} names a checkpoint file: this tool writes '
                'JSON, Markdown or predictions there, which would replace a '
                'checkpoint of that name. Give a .json path (e.g. '
                'metrics.json).')


def check_outputs_spare_inputs(outputs: dict, inputs: dict) -> None:
    """Refuse, before any work, an output path that is one of the inputs
    (``{'--out': path}``, ``{'checkpoint': path}``): writing it would
    destroy the input (a checkpoint replaced by a metrics JSON)."""
    for out_name, out in outputs.items():
        for in_name, path in inputs.items():
            if same_file(out, path):
                raise ValueError(
                    f'{out_name} {out} is the {in_name} this tool reads: '
                    'writing it would replace it. Give another path.')


# MMPose's LoadImage re-raises every failure with this sentence, also for a
# file that exists but does not decode (truncated or corrupt)
LOAD_FAILURE = re.compile(r'occurs when loading `(?P<path>[^`]+)`\.\s*'
                          r'Please check whether the file exists')


# a misspelt config key reaches the class it configures as a keyword
UNKNOWN_SETTING = re.compile(r"(?P<owner>[\w.]+)\(\) got an unexpected "
                             r"keyword argument '(?P<key>\w+)'")


def spelling_hint(owner: str, key: str) -> str:
    """', did you mean ...' from the settings ``owner`` (a class in MMPose's
    or mmengine's registries) takes, or ''."""
    import difflib
    import inspect

    from mmengine.registry import Registry
    from mmpose import registry as mmpose_registry
    for registry in vars(mmpose_registry).values():
        if not isinstance(registry, Registry):
            continue
        try:
            cls = registry.get(owner)
        except Exception:  # a registry whose lazy imports fail here
            cls = None
        if cls is None:
            continue
        names = [n for n in inspect.signature(cls).parameters
                 if n not in ('self', 'args', 'kwargs')]
        close = difflib.get_close_matches(key, names, n=2)
        if close:
            return f" (did you mean {' or '.join(repr(c) for c in close)}?)"
        return ''
    return ''


@contextlib.contextmanager
def explain_run_errors(tool: str):
    """Say in a sentence what two misleading errors of a run mean; every
    other error passes through unchanged:

    * MMPose's "check whether the file exists" about an image file that
      exists but does not decode (truncated or corrupt);
    * mmengine's "Failed to format the config file" when Ctrl-C arrived
      while it formatted the config (its bare ``except`` turns the
      KeyboardInterrupt into a SyntaxError): an interrupt, exit code 130.
    """
    try:
        yield
    except SyntaxError as err:
        if (str(err).startswith('Failed to format the config file')
                and isinstance(err.__context__, KeyboardInterrupt)):
            # mmengine formats the config at the start and into the meta
            # of every checkpoint it saves
            print(f'{tool}: interrupted (Ctrl-C) while mmengine was '
                  'formatting the config (at the start, or for a checkpoint '
                  'being saved). Checkpoints already on disk are complete '
                  '(each is written to a temporary file, then renamed): '
                  '--resume continues from the last one', file=sys.stderr)
            raise SystemExit(130) from err
        raise
    except Exception as err:
        unknown = UNKNOWN_SETTING.search(str(err))
        if isinstance(err, TypeError) and unknown:
            owner, key = unknown['owner'].split('.')[0], unknown['key']
            raise SystemExit(
                f"{tool}: the config gives {owner} the setting '{key}', "
                f'which it does not take{spelling_hint(owner, key)}. Check '
                'the spelling in the config (or in --cfg-options).') from err
        found = LOAD_FAILURE.search(str(err))
        if found and osp.isfile(found['path']):
            raise SystemExit(
                f"{tool}: {found['path']} exists but is not a readable image "
                '(truncated or corrupt: the decoder returned nothing). '
                'Replace it with an intact copy, or remove its entry from '
                'the annotations.') from err
        raise
