"""Turn a checkpoint trained on one keypoint set into one for another::

    python tools/misc/convert_keypoints.py SRC_CKPT OUT_CKPT --to lsp
    python tools/misc/convert_keypoints.py SRC_CKPT OUT_CKPT --to mpii

``--to lsp``: an MPII model (16 joints) for LSP (14), to fine-tune on LSP
(+ LSPET) as the papers do. ``--to mpii``: an LSP model (14) for MPII
(16), to start an MPII-joint model from an LSP-joint one; MPII's pelvis
and thorax start from the hips' and shoulders' heatmap layers
(utils/keypoint_conversion.py).

Only the weights are kept (no optimizer state, no iteration counter): the
fine-tuning run starts at 0 with ``load_from=OUT_CKPT``.
"""
import argparse

import mmpose_hourglass_ext  # noqa: F401  (lets torch.load read checkpoints)
from mmpose_hourglass_ext.utils.keypoint_conversion import (LSP_TO_MPII,
                                                            MPII_TO_LSP,
                                                            select_keypoints)
from mmpose_hourglass_ext.utils.runtime import (check_outputs_spare_inputs,
                                                read_checkpoint,
                                                save_new_file)

CONVERSIONS = {  # --to: (source keypoints, map, description)
    'lsp': (16, MPII_TO_LSP, 'LSP (14) from MPII (16)'),
    'mpii': (14, LSP_TO_MPII, 'MPII (16) from LSP (14)'),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='checkpoint to convert')
    parser.add_argument('dst', help='where to write the converted one')
    parser.add_argument('--to', choices=sorted(CONVERSIONS), default='lsp',
                        help='the keypoint set to convert to (default lsp: '
                        'from an MPII model)')
    args = parser.parse_args(argv)
    try:
        check_outputs_spare_inputs({'OUT_CKPT': args.dst},
                                   {'source checkpoint': args.src})
        ckpt = read_checkpoint(args.src)
    except (OSError, ValueError) as err:
        raise SystemExit(str(err))
    source_keypoints, mapping, what = CONVERSIONS[args.to]
    try:
        converted = select_keypoints(ckpt['state_dict'], mapping,
                                     num_keypoints=source_keypoints)
    except ValueError as err:
        raise SystemExit(f'{args.src}: {err} (--to {args.to} converts '
                         f'{what.split(" from ")[1]} checkpoints)')
    meta = dict(ckpt.get('meta', {}), converted_from=args.src,
                keypoints=what)
    save_new_file(dict(state_dict=converted, meta=meta), args.dst)
    print(f'wrote {args.dst} ({what})')


if __name__ == '__main__':
    main()
