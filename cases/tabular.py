"""Case profiles in tables (CSV and Excel): reading, and the contract's validation by column.

One row per case, columns named as the contract's fields, one column per marker code.
Cells are text: lists are `;`-separated, booleans `true`/`false`, a blank cell means "not
given" (the field's default applies; a blank marker is "not tested").

Validation is the contract's own per-field cleaning (cases.profile), applied once per
distinct cell value of each column, so a million rows cost what their distinct values
cost. Columns starting with `evaluation.` or `case.` are outputs of an export and are
ignored on the way back in.
"""

import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError

from cases.contract import MARKER_NOT_TESTED, PROFILE_FIELDS, REQUIRED
from cases.profile import clean_field

OUTPUT_PREFIXES = ("evaluation.", "case.")
LIST_SEPARATOR = ";"


@dataclass
class TableErrors:
    """Problems found in a table: one entry per (row, column)."""

    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(self, *, row: int | None, column: str, problem: str, value: Any = None) -> None:
        entry = {"row": row, "column": column, "problem": problem}
        if value is not None:
            entry["value"] = value
        self.rows.append(entry)

    def __bool__(self) -> bool:
        return bool(self.rows)

    def lines(self) -> list[str]:
        """One readable line per problem (what the import and batch commands print)."""
        lines = []
        for entry in self.rows:
            where = f"row {entry['row']}" if entry["row"] else "header"
            shown = f" (value {entry['value']!r})" if "value" in entry else ""
            lines.append(f"{where}, column {entry['column']}{shown}: {entry['problem']}")
        return lines


class CleanFrame(pd.DataFrame):
    """A validated table that also keeps, per column, each row's code among the column's
    distinct values, so batch evaluation groups rows without hashing them again."""

    _metadata = ["codes"]

    @property
    def _constructor(self):
        return CleanFrame


def frame_read(source: str | Path | IO[bytes], *, name: str | None = None) -> pd.DataFrame:
    """Read a CSV or .xlsx file with every cell as text (blank cells as "")."""
    name = str(name or source)
    if not name.lower().endswith((".csv", ".xlsx")):
        raise ValueError("Upload a .csv or .xlsx file.")
    try:
        if name.lower().endswith(".xlsx"):
            frame = pd.read_excel(source, dtype=str, keep_default_na=False, engine="openpyxl")
        else:
            frame = pd.read_csv(source, dtype=str, keep_default_na=False, na_filter=False)
    except (
        ValueError,
        UnicodeDecodeError,
        zipfile.BadZipFile,
        KeyError,
        pd.errors.ParserError,
    ) as exc:
        kind = "Excel (.xlsx)" if name.lower().endswith(".xlsx") else "CSV (UTF-8)"
        raise ValueError(f"The file could not be read as {kind}: {type(exc).__name__}.") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _parse_cell(kind: str, text: str) -> Any:
    """Cell text -> the value the contract's cleaner expects (invalid text passes through)."""
    text = text.strip()
    if kind == "choices":
        return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]
    if kind == "bool":
        return {"true": True, "false": False, "": None}.get(text.lower(), text)
    if kind == "percent":
        if text == "":
            return None
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if number.is_integer() else text
    if kind == "choice" and text == "":
        return None
    return text


def _column_map(series: pd.Series, cleaner) -> tuple[pd.Series, pd.Series, tuple]:
    """Clean each distinct value once: (clean values, error or None, (codes, distinct values))."""
    codes, uniques = pd.factorize(series)
    values = np.empty(len(uniques), dtype=object)
    errors = np.full(len(uniques), None, dtype=object)
    for position, cell in enumerate(uniques):
        try:
            values[position] = cleaner(cell)
        except ValidationError as exc:
            errors[position] = " ".join(exc.messages)
    clean = pd.Series(values[codes], index=series.index, dtype=object)
    if not any(e is not None for e in errors):
        return clean, pd.Series(dtype=object), (codes, list(values))
    return clean, pd.Series(errors[codes], index=series.index, dtype=object), (codes, list(values))


def _report(errors: TableErrors, column: str, problems: pd.Series, frame: pd.DataFrame) -> None:
    for index, problem in problems.dropna().items():
        value = None if column == "notes" else frame.at[index, column]  # never echo notes
        errors.add(row=int(index) + 1, column=column, problem=problem, value=value)


def frame_clean(
    frame: pd.DataFrame, *, marker_scales: Mapping[str, tuple[str, ...]]
) -> tuple[CleanFrame, TableErrors]:
    """Validate every cell; return the typed table and every problem, by row and column."""
    errors = TableErrors()
    columns = [c for c in frame.columns if not c.startswith(OUTPUT_PREFIXES)]
    for column in columns:
        if column not in PROFILE_FIELDS and column not in marker_scales:
            errors.add(
                row=None,
                column=column,
                problem="Unknown column; refused. Columns are the contract's fields ("
                + ", ".join(f for f in PROFILE_FIELDS if f != "markers")
                + ") and marker codes from the catalogue.",
            )
        elif column in ("her2_status", "markers"):
            errors.add(row=None, column=column, problem="This column cannot be imported.")
    clean = CleanFrame(index=frame.index)
    codes: dict[str, tuple] = {}
    for name, spec in PROFILE_FIELDS.items():
        if name == "markers":
            continue
        if name not in frame.columns:
            if spec.default is REQUIRED:
                errors.add(row=None, column=name, problem="Required column is missing.")
                continue
            clean[name] = pd.Series([spec.default] * len(frame), index=frame.index, dtype=object)
            continue

        def cleaner(cell, spec=spec):
            value = _parse_cell(spec.kind, cell)
            if value is None and spec.default is REQUIRED:
                raise ValidationError(f"Required; {spec.name} accepts {spec.accepts()}.")
            if value is None and not spec.optional:
                value = spec.default
            return clean_field(spec, value)

        clean[name], problems, codes[name] = _column_map(frame[name], cleaner)
        _report(errors, name, problems, frame)
    _markers_columns(frame, marker_scales, errors, clean, codes)
    clean.codes = codes
    return clean, errors


MARKER_COLUMN = "marker."


def _markers_columns(frame, marker_scales, errors: TableErrors, clean: pd.DataFrame, codes) -> None:
    """One `marker.<code>` column per catalogue code in the file: the result, or None."""
    for code in [c for c in frame.columns if c in marker_scales]:
        allowed = marker_scales[code]

        def cleaner(cell, code=code, allowed=allowed):
            cell = cell.strip()
            if cell in ("", MARKER_NOT_TESTED):
                return None
            if cell not in allowed:
                raise ValidationError(f"Marker {code} accepts: {', '.join(allowed)} (or blank).")
            return cell

        clean[MARKER_COLUMN + code], problems, codes[MARKER_COLUMN + code] = _column_map(
            frame[code], cleaner
        )
        _report(errors, code, problems, frame)


def _plain(value: Any) -> Any:
    """pandas' NaN and numpy numbers back to the contract's None and int."""
    if isinstance(value, float):
        return None if value != value else int(value)  # NaN is the only value != itself
    return value.item() if hasattr(value, "item") and not isinstance(value, str) else value


def profiles_from_frame(clean: pd.DataFrame) -> list[dict[str, Any]]:
    """The clean table as contract profiles (one dict per row)."""
    marker_columns = sorted(c for c in clean.columns if c.startswith(MARKER_COLUMN))
    profiles = []
    for row in clean.to_dict(orient="records"):
        profile = {name: _plain(row[name]) for name in PROFILE_FIELDS if name != "markers"}
        profile["markers"] = {
            column.removeprefix(MARKER_COLUMN): row[column]
            for column in marker_columns
            if isinstance(row[column], str)
        }
        profiles.append(profile)
    return profiles


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(value)
    return str(value)


def frame_from_profiles(
    profiles: list[Mapping[str, Any]], *, marker_codes: list[str]
) -> pd.DataFrame:
    """Profiles as a table of text cells, in the layout frame_read/frame_clean accept."""
    rows = []
    for profile in profiles:
        row = {name: _cell(profile[name]) for name in PROFILE_FIELDS if name != "markers"}
        row.update({code: profile["markers"].get(code, "") for code in marker_codes})
        rows.append(row)
    columns = [name for name in PROFILE_FIELDS if name != "markers"] + list(marker_codes)
    return pd.DataFrame(rows, columns=columns, dtype=object)


def frame_write(
    frame: pd.DataFrame, target: str | Path | IO[bytes], *, name: str | None = None
) -> None:
    name = str(name or target)
    if name.lower().endswith(".xlsx"):
        frame.to_excel(target, index=False, engine="openpyxl")
    elif name.lower().endswith(".csv"):
        frame.to_csv(target, index=False)
    else:
        raise ValueError("Export to a .csv or .xlsx file.")
