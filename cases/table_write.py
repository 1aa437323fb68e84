"""Writing tables: CSV and Excel exports with every text cell neutralised against formula
injection (cases.tabular.cell_neutralise), and a CSV writer fast on category columns."""

import re
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from cases.tabular import cell_neutralise


def frame_neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell passed through cell_neutralise (categorical columns
    by their categories, so a million rows cost their distinct values)."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            categories = series.cat.categories
            if categories.dtype == object:
                renamed = [cell_neutralise(c) if isinstance(c, str) else c for c in categories]
                if list(renamed) != list(categories):
                    out[column] = series.cat.rename_categories(renamed)
        elif series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
            renamed = [cell_neutralise(u) if isinstance(u, str) else u for u in uniques]
            if renamed != list(uniques):
                values = np.array([*renamed, None], dtype=object)
                out[column] = pd.Series(values[codes], index=series.index, dtype=object)
    out.columns = [cell_neutralise(str(c)) for c in out.columns]
    return out


def frame_write(
    frame: pd.DataFrame, target: str | Path | IO[bytes], *, name: str | None = None
) -> None:
    """Write a CSV or .xlsx export; every text cell is neutralised against formula
    injection, and .xlsx cells holding text are string cells, never formulas."""
    name = str(name or target)
    if not name.lower().endswith((".csv", ".xlsx")):
        raise ValueError("Export to a .csv or .xlsx file.")
    frame = frame_neutralise(frame)
    if name.lower().endswith(".xlsx"):
        frame.to_excel(target, index=False, engine="openpyxl")
    else:
        _csv_write(frame, target)


_NEEDS_QUOTES = re.compile(r'[",\r\n]')


def _csv_cell(value: Any) -> str:
    """One cell as csv.writer writes it (QUOTE_MINIMAL); missing values are empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value)
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if _NEEDS_QUOTES.search(text) else text


def _csv_column(series: pd.Series) -> Any:
    """A column as its CSV cells; a category column is quoted once per category."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        cells = np.array([_csv_cell(v) for v in series.cat.categories] + [""], dtype=object)
        return cells[series.cat.codes.to_numpy()]  # code -1 (missing): the "" at the end
    if pd.api.types.is_integer_dtype(series.dtype):
        return series.astype(str).to_numpy()
    return [_csv_cell(v) for v in series]


def _csv_write(frame: pd.DataFrame, target: str | Path | IO[bytes]) -> None:
    """What frame.to_csv(index=False) writes, a few times faster for the category
    columns of a large evaluation: each distinct cell is quoted once, then lines are
    joined."""
    header = ",".join(_csv_cell(str(c)) for c in frame.columns)
    columns = [_csv_column(frame[name]) for name in frame.columns]
    text = "\n".join([header, *map(",".join, zip(*columns, strict=True))]) + "\n"
    data = text.encode("utf-8")
    if isinstance(target, str | Path):
        Path(target).write_bytes(data)
    else:
        target.write(data)
