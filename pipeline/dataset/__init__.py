"""Audits -> the archive's dataset: rows, tables and their schema, CSV with a Data Package,
Parquet, SQLite with Datasette metadata (docs/dataset.md); `load` reads a built one back.

Importing this package loads neither pyarrow nor pandas; the writers load them when used.
"""

from pipeline.dataset.load import load

__all__ = ["load"]
