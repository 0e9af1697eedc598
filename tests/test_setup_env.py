"""The bootstrap is idempotent: a second run only checks and returns."""
from conftest import ROOT, run


def test_second_setup_run_is_a_quick_no_op():
    out = run(['bash', ROOT / 'tools' / 'setup_env.sh'], timeout=120)
    assert 'up to date' in out, out
