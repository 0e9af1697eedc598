"""The bootstrap is idempotent: once set up, another run only checks the
imports and returns."""
from conftest import ROOT, run

SETUP = ['bash', ROOT / 'tools' / 'setup_env.sh']


def test_second_setup_run_is_a_no_op():
    run(SETUP, timeout=1800)  # brings .venv up to date if it is not
    out = run(SETUP, timeout=120)
    assert 'up to date' in out, out
    assert 'torch + torchvision' not in out  # no install step ran
