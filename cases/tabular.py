"""Case profiles in tables (CSV and Excel): reading, and the contract's validation by column.

One row per case, columns named as the contract's fields, one column per marker code.
Cells are text: lists are `;`-separated, booleans `true`/`false`, a blank cell means "not
given" (the field's default applies; a blank marker is "not tested").

Validation is the contract's own per-field cleaning (cases.profile), applied once per
distinct cell value of each column, so a million rows cost what their distinct values
cost. Columns starting with `evaluation.` or `case.` are outputs of an export and are
ignored on the way back in.
"""

import csv
import heapq
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases.contract import MARKER_NOT_TESTED, PROFILE_FIELDS, REQUIRED
from cases.profile import clean_field

OUTPUT_PREFIXES = ("evaluation.", "case.")
LIST_SEPARATOR = ";"

# OWASP's CSV-injection rule: a cell a spreadsheet would run as a formula (leading = + - @,
# tab or CR) is written with a leading apostrophe. Cells that already start with
# apostrophes before such a character get one more, so reading strips exactly one and the
# round trip is exact.
_FORMULA_LIKE = re.compile(r"'*[=+\-@\t\r]")


def cell_neutralise(text: str) -> str:
    """A text cell as an export writes it: never read as a formula by a spreadsheet."""
    return "'" + text if _FORMULA_LIKE.match(text) else text


def cell_restore(text: str) -> str:
    """Undo cell_neutralise on a cell read back from a file."""
    return text[1:] if text.startswith("'") and _FORMULA_LIKE.match(text, 1) else text


MIB = 1024 * 1024
REPORT_MAX = 100  # problems listed; the rest are counted
CELL_MAX_CHARS = 5_000  # longer cells are refused before their field's own check
SHOWN_VALUE_MAX = 80  # characters of a refused cell shown back


@dataclass(frozen=True)
class TableLimits:
    """Bounds on a table, checked before its cells are parsed where they can be (the header,
    NUL characters, an .xlsx's unpacked size and compression ratio) and while they are
    (rows, cell length). Each refusal names the bound."""

    rows: int = 100_000
    columns: int = 200
    unpacked_bytes: int = 64 * MIB  # an .xlsx's parts, decompressed
    unpacked_ratio: int = 100  # one .xlsx part, decompressed : compressed


UPLOAD_LIMITS = TableLimits()
# Files an administrator passes to the commands: more rows and bigger workbooks.
COMMAND_LIMITS = TableLimits(rows=10_000_000, unpacked_bytes=4096 * MIB)


@dataclass
class TableErrors:
    """Problems found in a table, one entry per (row, column), listed as a spreadsheet
    would number them: the header is row 1 and the first case row 2; by row, then by the
    column's place in the file. The first REPORT_MAX in that order are kept and the rest
    counted, so a hostile file cannot make a huge report."""

    columns: list[str] = field(default_factory=list)
    total: int = 0
    _heap: list = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._place = {name: position for position, name in enumerate(self.columns)}

    def add(self, *, row: int | None, column: str, problem: str, value: Any = None) -> None:
        self.total += 1
        place = self._place.get(column, len(self._place))
        key = (row or 1, place, self.total)
        if len(self._heap) >= REPORT_MAX and (-key[0], -key[1], -key[2]) <= self._heap[0][0]:
            return
        entry = {"row": row, "column": _shown(column), "problem": problem}
        if value is not None:
            entry["value"] = _shown(value)
        item = ((-key[0], -key[1], -key[2]), entry)
        if len(self._heap) >= REPORT_MAX:
            heapq.heapreplace(self._heap, item)
        else:
            heapq.heappush(self._heap, item)

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The kept problems, by row, then column."""
        return [entry for _, entry in sorted(self._heap, reverse=True)]

    @property
    def omitted(self) -> int:
        return self.total - len(self.rows)

    def __bool__(self) -> bool:
        return self.total > 0

    def lines(self) -> list[str]:
        """One readable line per problem (what the import and batch commands print)."""
        lines = []
        for entry in self.rows:
            where = f"row {entry['row']}" if entry["row"] else "header"
            shown = f" (value {entry['value']!r})" if "value" in entry else ""
            lines.append(f"{where}, column {entry['column']}{shown}: {entry['problem']}")
        if self.omitted:
            lines.append(f"... and {self.omitted} more problem(s) not listed.")
        return lines


def _shown(value: Any) -> Any:
    if isinstance(value, str) and len(value) > SHOWN_VALUE_MAX:
        return value[:SHOWN_VALUE_MAX] + "…"
    return value


class CleanFrame(pd.DataFrame):
    """A validated table that also keeps, per column, each row's code among the column's
    distinct values, so batch evaluation groups rows without hashing them again."""

    _metadata = ["codes"]

    @property
    def _constructor(self):
        return CleanFrame


def frame_read(
    source: str | Path | IO[bytes] | bytes,
    *,
    name: str | None = None,
    limits: TableLimits = UPLOAD_LIMITS,
) -> pd.DataFrame:
    """Read a CSV or .xlsx file with every cell as text (blank cells as "").

    Raises ValueError, with a message for the user, for a file that cannot be read or is
    over one of `limits`; the checks that need no parsing come first.
    """
    name = str(name or source)
    is_excel = name.lower().endswith(".xlsx")
    if not is_excel and not name.lower().endswith(".csv"):
        raise ValueError(_("Upload a .csv or .xlsx file."))
    data = _bytes(source)
    if is_excel:
        _xlsx_check(data, limits)
    else:
        _csv_check(data, limits)
    try:
        if is_excel:
            frame = pd.read_excel(
                io.BytesIO(data),
                dtype=str,
                keep_default_na=False,
                engine="openpyxl",
                nrows=limits.rows + 1,
            )
        else:
            # Categories: each distinct cell is read (and later checked) once, whatever the
            # number of rows.
            frame = pd.read_csv(
                io.BytesIO(data),
                dtype="category",
                keep_default_na=False,
                na_filter=False,
                nrows=limits.rows + 1,
            )
    except (
        ValueError,
        UnicodeDecodeError,
        zipfile.BadZipFile,
        KeyError,
        pd.errors.ParserError,
    ) as exc:
        kind = "Excel (.xlsx)" if is_excel else "CSV (UTF-8)"
        raise ValueError(
            _("The file could not be read as %(kind)s: %(error)s.")
            % {"kind": kind, "error": type(exc).__name__}
        ) from None
    if len(frame) > limits.rows:
        raise ValueError(
            _("The file has more than %(rows)s rows; split it.") % {"rows": f"{limits.rows:,}"}
        )
    if len(frame.columns) > limits.columns:
        raise ValueError(_too_many_columns(len(frame.columns), limits))
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _bytes(source: str | Path | IO[bytes] | bytes) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | Path):
        return Path(source).read_bytes()
    return source.read()


def _too_many_columns(count: int, limits: TableLimits) -> str:
    text = _(
        "The file has %(count)s columns; at most %(most)s are accepted "
        "(the contract's fields, one per marker code, and an export's own columns)."
    )
    return text % {"count": f"{count:,}", "most": limits.columns}


def _csv_check(data: bytes, limits: TableLimits) -> None:
    """The header's width, and NUL characters (pandas would cut the cell short there)."""
    end = data.find(b"\n")
    header = data[: end if end >= 0 else len(data)]
    count = header.count(b",") + 1  # an upper bound: quoted commas count too
    if count > limits.columns and len(header) < 64 * 1024:
        count = len(next(csv.reader([header.decode("utf-8", "replace")]), []))
    if count > limits.columns:
        raise ValueError(_too_many_columns(count, limits))
    nul = data.find(b"\x00")
    if nul >= 0:
        row = data.count(b"\n", 0, nul) + 1  # as a spreadsheet numbers it
        where = _("row %(row)s") % {"row": row} if row > 1 else _("the header")
        raise ValueError(
            _("The file has a NUL character (U+0000) in %(where)s; none is accepted.")
            % {"where": where}
        )


def _xlsx_check(data: bytes, limits: TableLimits) -> None:
    """An .xlsx is a zip: refuse one that would unpack too big, or a part packed so tightly
    that it can only be a decompression bomb, before any XML is read."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError):
        raise ValueError(
            _("The file could not be read as %(kind)s: %(error)s.")
            % {"kind": "Excel (.xlsx)", "error": "BadZipFile"}
        ) from None
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limits.unpacked_bytes:
        raise ValueError(
            _("The workbook would unpack to %(size)s MB; at most %(most)s MB are accepted.")
            % {"size": f"{unpacked // MIB:,}", "most": f"{limits.unpacked_bytes // MIB:,}"}
        )
    for part in parts:
        if part.file_size > MIB and part.file_size > limits.unpacked_ratio * max(
            part.compress_size, 1
        ):
            raise ValueError(
                _(
                    "The workbook part %(part)s is compressed more than %(ratio)s:1, as a "
                    "decompression bomb is; it was not opened."
                )
                % {"part": _shown(part.filename), "ratio": limits.unpacked_ratio}
            )


def _parse_cell(kind: str, text: str) -> Any:
    """Cell text -> the value the contract's cleaner expects (invalid text passes through)."""
    text = cell_restore(text).strip()
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
    if isinstance(series.dtype, pd.CategoricalDtype) and not series.hasnans:
        # Read as categories (frame_read): the codes and distinct values are already there.
        codes = series.cat.codes.to_numpy().astype(np.intp)
        uniques = series.cat.categories.to_numpy()
    else:
        codes, uniques = pd.factorize(series)
    values = np.empty(len(uniques), dtype=object)
    errors = np.full(len(uniques), None, dtype=object)
    for position, cell in enumerate(uniques):
        if isinstance(cell, str) and len(cell) > CELL_MAX_CHARS:
            errors[position] = _("Longer than %(most)s characters; refused.") % {
                "most": f"{CELL_MAX_CHARS:,}"
            }
            continue
        try:
            values[position] = cleaner(cell)
        except ValidationError as exc:
            errors[position] = " ".join(exc.messages)
    clean = _clean_series(values, codes, series.index)
    if not any(e is not None for e in errors):
        return clean, pd.Series(dtype=object), (codes, list(values))
    return clean, pd.Series(errors[codes], index=series.index, dtype=object), (codes, list(values))


def _clean_series(values: np.ndarray, codes: np.ndarray, index) -> pd.Series:
    """The cleaned column: categories when its values allow (strings, numbers, booleans),
    so a million rows cost their distinct values; plain objects otherwise (lists)."""
    distinct: dict[Any, int] = {}
    remap = np.full(len(values) + 1, -1, dtype=np.intp)  # the last slot: missing (-1)
    for position, value in enumerate(values):
        if value is None:
            continue
        if not isinstance(value, str | int | float) or (
            isinstance(value, float) and value != value
        ):
            return pd.Series(values[codes], index=index, dtype=object)
        remap[position] = distinct.setdefault((type(value), value), len(distinct))
    categories = pd.Index([value for _, value in distinct], dtype=object)
    codes = remap[codes]  # in range by construction: pandas need not check them again
    return pd.Series(pd.Categorical.from_codes(codes, categories, validate=False), index=index)


def _report(errors: TableErrors, column: str, problems: pd.Series, frame: pd.DataFrame) -> None:
    for index, problem in problems.dropna().items():
        value = None if column == "notes" else frame.at[index, column]  # never echo notes
        # As a spreadsheet numbers rows: the header is 1, the first case 2.
        errors.add(row=int(index) + 2, column=column, problem=problem, value=value)


def frame_clean(
    frame: pd.DataFrame, *, marker_scales: Mapping[str, tuple[str, ...]]
) -> tuple[CleanFrame, TableErrors]:
    """Validate every cell; return the typed table and every problem, by row and column."""
    errors = TableErrors(columns=[str(c) for c in frame.columns])
    columns = [c for c in frame.columns if not c.startswith(OUTPUT_PREFIXES)]
    unknown = [c for c in columns if c not in PROFILE_FIELDS and c not in marker_scales]
    fields = ", ".join(f for f in PROFILE_FIELDS if f != "markers")
    accepted = " " + _(
        "Columns are the contract's fields (%(fields)s) and marker codes from the catalogue."
    ) % {"fields": fields}
    for position, column in enumerate(unknown):
        # What is accepted is said once, with the first unknown column.
        problem = _("Unknown column; refused.") + ("" if position else accepted)
        errors.add(row=None, column=column, problem=problem)
    for column in ("her2_status", "markers"):
        if column in columns:
            errors.add(row=None, column=column, problem=_("This column cannot be imported."))
    clean = CleanFrame(index=frame.index)
    codes: dict[str, tuple] = {}
    for name, spec in PROFILE_FIELDS.items():
        if name == "markers":
            continue
        if name not in frame.columns:
            if spec.default is REQUIRED:
                errors.add(row=None, column=name, problem=_("Required column is missing."))
                continue
            clean[name] = pd.Series([spec.default] * len(frame), index=frame.index, dtype=object)
            continue

        def cleaner(cell, spec=spec):
            value = _parse_cell(spec.kind, cell)
            if value is None and spec.default is REQUIRED:
                raise ValidationError(
                    _("Required; %(field)s accepts %(accepts)s.")
                    % {"field": spec.name, "accepts": spec.accepts(_)}
                )
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
            cell = cell_restore(cell).strip()
            if cell in ("", MARKER_NOT_TESTED):
                return None
            if cell not in allowed:
                raise ValidationError(
                    _("Marker %(marker)s accepts: %(allowed)s (or blank).")
                    % {"marker": code, "allowed": ", ".join(allowed)}
                )
            return cell

        clean[MARKER_COLUMN + code], problems, codes[MARKER_COLUMN + code] = _column_map(
            frame[code], cleaner
        )
        _report(errors, code, problems, frame)


def cell_plain(value: Any) -> Any:
    """pandas' NaN and numpy numbers back to the contract's None and int."""
    if isinstance(value, float):
        return None if value != value else int(value)  # NaN is the only value != itself
    return value.item() if hasattr(value, "item") and not isinstance(value, str) else value


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
