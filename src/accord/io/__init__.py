"""Reading and writing scenarios: YAML (accord's own format) and, later, the field's formats."""

from .yaml import dump, dumps, load_file, loads, schema

__all__ = ["dump", "dumps", "load_file", "loads", "schema"]
