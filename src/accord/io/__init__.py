"""Reading and writing scenarios: accord's YAML, Genius XML and GeniusWeb JSON.

:func:`read` tells the formats apart by content; :func:`write` takes the format by name. The
NegMAS bridge is :mod:`accord.io.negmas` (optional: ``pip install 'accord[bench]'``).
"""

from __future__ import annotations

from .convert import FORMATS, detect, read, write
from .genius_xml import read_genius, write_genius
from .geniusweb_json import read_geniusweb, write_geniusweb
from .yaml import YamlLimits, dump, dumps, load_file, loads, schema

__all__ = [
    "FORMATS",
    "YamlLimits",
    "detect",
    "dump",
    "dumps",
    "load_file",
    "loads",
    "read",
    "read_genius",
    "read_geniusweb",
    "schema",
    "write",
    "write_genius",
    "write_geniusweb",
]
