"""Turn a k-stage ResNetMultiStage checkpoint into a (k+1)-stage one whose
first k stages are unchanged (Su et al.'s stage-by-stage training)::

    python tools/misc/grow_stages.py K_STAGE_CKPT NEW_CONFIG OUT_CKPT [--fresh]

NEW_CONFIG describes the (k+1)-stage model; train it with
``load_from=OUT_CKPT``. The new stage starts from the last old stage's
weights where the shapes agree (``--fresh``: from its initialisation).
"""
import argparse

from mmengine.config import Config
from mmpose.registry import MODELS
from mmpose.utils import register_all_modules

import mmpose_hourglass_ext  # noqa: F401
from mmpose_hourglass_ext.utils.runtime import (check_outputs_spare_inputs,
                                          read_checkpoint, save_new_file)
from mmpose_hourglass_ext.utils.stage_growth import grow_state_dict


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('checkpoint')
    parser.add_argument('config', help='config of the model with k+1 stages')
    parser.add_argument('out')
    parser.add_argument('--fresh', action='store_true',
                        help='do not copy the last stage into the new one')
    args = parser.parse_args()
    register_all_modules()
    try:
        check_outputs_spare_inputs(
            {'OUT': args.out},
            {'checkpoint': args.checkpoint, 'config': args.config})
        old = read_checkpoint(args.checkpoint)['state_dict']
        model = MODELS.build(Config.fromfile(args.config).model)
        grown = grow_state_dict(old, model.state_dict(),
                                copy_previous=not args.fresh)
    except (OSError, ValueError) as err:
        raise SystemExit(str(err))
    save_new_file(dict(state_dict=grown,
                       meta=dict(grown_from=args.checkpoint)), args.out)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
