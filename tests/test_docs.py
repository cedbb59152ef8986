"""The documentation a clone carries links only to files the clone has."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted([ROOT / 'README.md', ROOT / 'CHANGELOG.md', *ROOT.glob('docs/*.md'),
                    *ROOT.glob('azure-storage-*/README.md')])
LINK = re.compile(r'\]\(([^)\s]+)\)')


@pytest.mark.parametrize('document', DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_links_stay_inside_the_repository(document):
    for target in LINK.findall(document.read_text()):
        path = target.split('#')[0]
        assert '://' not in target, target
        resolved = (document.parent / path).resolve()
        assert resolved.is_relative_to(ROOT) and resolved.exists(), target


def test_readme_names_no_file_outside_the_repository():
    assert '../' not in (ROOT / 'README.md').read_text()
