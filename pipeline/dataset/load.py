"""A built archive's dataset read back as pandas DataFrames."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.dataset.schema import DATASET_DIR, TABLES
from pipeline.errors import InputError

if TYPE_CHECKING:
    import pandas


def load(out: str | os.PathLike[str]) -> dict[str, pandas.DataFrame]:
    """Every table of the dataset `bulletins build -o OUT` wrote, by name, in the order of
    docs/dataset.md: documents, metrics, claims, findings, departments.

    `out` is OUT or OUT/dataset. The tables come from their Parquet files, so columns keep
    their types (exact decimals stay text in `value`, dates are dates). Raises InputError
    when a table's file is missing.
    """
    import pandas

    folder = Path(out)
    if not (folder / "datapackage.json").is_file():
        folder = folder / DATASET_DIR
    tables = {}
    for spec in TABLES:
        path = folder / f"{spec.name}.parquet"
        if not path.is_file():
            raise InputError(f"{path}: no such file (is {out} the output of bulletins build?)")
        tables[spec.name] = pandas.read_parquet(path)
    return tables
