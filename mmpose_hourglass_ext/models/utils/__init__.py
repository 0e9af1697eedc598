from .stage_outputs import (OUTPUT_MODES, StageOutputsMixin, check_head_fits,
                            check_state_fits)

__all__ = ['OUTPUT_MODES', 'StageOutputsMixin', 'check_head_fits',
           'check_state_fits']
