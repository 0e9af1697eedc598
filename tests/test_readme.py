"""The README a newcomer reads: short, and every number in it traceable
to the benchmark JSON it cites (re-derived here from that JSON)."""
import json
import re

from conftest import ROOT, load_tool

README = (ROOT / 'README.md').read_text()


def between(text, begin, end):
    return text[text.index(begin) + len(begin):text.index(end)]


def test_readme_is_short_and_its_links_exist():
    assert len(README.splitlines()) <= 220
    for link in re.findall(r'\]\(((?:docs|benchmarks|configs)/[^)#]+)\)',
                           README):
        assert (ROOT / link).exists(), link


def test_zoo_table_is_the_zoo_json():
    zoo = load_tool('tools/analysis/zoo.py')
    results = json.loads((ROOT / 'benchmarks/zoo_lsp_cpu.json').read_text())
    block = between(README, zoo.README_BEGIN, zoo.README_END)
    assert block.strip() == zoo.compact_table(
        results, 'docs/zoo_lsp_cpu.md').strip()


def test_quickstart_numbers_are_its_json():
    run = json.loads(
        (ROOT / 'benchmarks/quickstart_lsp_2cpu.json').read_text())
    section = between(README, '## Two commands', '## Use a backbone')
    assert 'benchmarks/quickstart_lsp_2cpu.json' in section
    assert f"took {run['make_quickstart_wall']}" in section
    assert (f"PCK@0.2 Total {100 * run['PCK@0.2/Total']:.1f}%"
            in ' '.join(section.split()))
