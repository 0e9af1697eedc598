# All metadata lives in setup.cfg; this file lets older pip do editable installs.
from setuptools import setup

setup()
