"""Where the real Genius/ANAC corpus is, for the tests that add its breadth.

The corpus is not part of the repository. The tests look for it at ``$ACCORD_GENIUS_DATA`` and,
when that is unset, at ``../shared/data/genius`` beside the repository. Tests that need it carry
``@pytest.mark.corpus`` (or ``needs_corpus``) and skip, with this reason, where it is absent; the
readers, the simulation and the batch engine are covered without it by ``tests/data/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ENV = "ACCORD_GENIUS_DATA"
ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get(ENV) or ROOT.parent / "shared" / "data" / "genius")
PRESENT = CORPUS.is_dir()
FOLDERS: list[str] = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if PRESENT else []
REASON = f"the Genius corpus is not at {CORPUS} (set {ENV} to a folder of Genius domains)"
DATA = ROOT / "tests" / "data"

needs_corpus = pytest.mark.corpus
