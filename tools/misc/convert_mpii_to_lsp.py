"""Turn a checkpoint trained on MPII (16 joints) into one for LSP (14
joints), to fine-tune on LSP (+ LSPET) as the papers do::

    python tools/misc/convert_mpii_to_lsp.py MPII_CKPT OUT_CKPT

Only the weights are kept (no optimizer state, no epoch counter): the
fine-tuning run starts at epoch 0 with ``load_from=OUT_CKPT``.
"""
import argparse

import mmpose_hourglass_ext  # noqa: F401  (lets torch.load read checkpoints)
from mmpose_hourglass_ext.utils.keypoint_conversion import (MPII_TO_LSP,
                                                      select_keypoints)
from mmpose_hourglass_ext.utils.runtime import (check_outputs_spare_inputs,
                                          read_checkpoint, save_new_file)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='checkpoint of a model trained on MPII')
    parser.add_argument('dst', help='where to write the LSP checkpoint')
    args = parser.parse_args()
    try:
        check_outputs_spare_inputs({'OUT_CKPT': args.dst},
                                   {'MPII checkpoint': args.src})
        ckpt = read_checkpoint(args.src)
    except (OSError, ValueError) as err:
        raise SystemExit(str(err))
    state = ckpt['state_dict']
    converted = select_keypoints(state, MPII_TO_LSP, num_keypoints=16)
    meta = dict(ckpt.get('meta', {}), converted_from=args.src,
                keypoints='LSP (14) from MPII (16)')
    save_new_file(dict(state_dict=converted, meta=meta), args.dst)
    print(f'wrote {args.dst}')


if __name__ == '__main__':
    main()
