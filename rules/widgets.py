"""The curator's rule form without JSON: citations chosen from the references with the
browser's own autocomplete, and examples edited as rows (profile facts, fires or silent,
note). Each widget posts plain inputs (`<name>_<row>...`) and its field turns them back
into the list the model stores.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from cases.contract import PROFILE_FIELDS

BLANK_ROWS = 2
MAX_ROWS = 50


def _rows(data: Mapping[str, Any], name: str, suffix: str = "") -> Iterable[int]:
    for row in range(MAX_ROWS):
        if f"{name}_{row}{suffix}" not in data:
            return
        yield row


class CitationsWidget(forms.Widget):
    """One text input per citation, each completing from the references (a <datalist>)."""

    def __init__(self, *, references: Sequence[tuple[str, str]] = (), attrs=None):
        super().__init__(attrs)
        self.references = references

    def render(self, name, value, attrs=None, renderer=None):
        keys = list(value or []) + [""] * BLANK_ROWS
        listed = f"{name}-references"
        inputs = format_html_join(
            "",
            '<input type="text" name="{}_{}" value="{}" list="{}" aria-label="Citation {}" '
            'class="citation" maxlength="60">',
            ((name, row, key, listed, row + 1) for row, key in enumerate(keys)),
        )
        options = format_html_join(
            "", '<option value="{}">{}</option>', ((key, label) for key, label in self.references)
        )
        return format_html(
            '<div class="citations" id="{}">{}<datalist id="{}">{}</datalist>'
            "<small>Type an author or key; choose from the review's references. "
            "Save with blank boxes for more.</small></div>",
            (attrs or {}).get("id", f"id_{name}"),
            inputs,
            listed,
            options,
        )

    def value_from_datadict(self, data, files, name):
        return [data.get(f"{name}_{row}", "").strip() for row in _rows(data, name)]

    def value_omitted_from_data(self, data, files, name):
        return f"{name}_0" not in data

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_


class CitationsField(forms.Field):
    widget = CitationsWidget

    def to_python(self, value):
        return [key for key in (value or []) if key]


def profile_text(profile: Mapping[str, Any]) -> str:
    """An example's profile as `field=value; markers.CODE=result; list=a,b`."""
    parts = []
    for name, value in profile.items():
        if name == "markers" and isinstance(value, Mapping):
            parts += [f"markers.{code}={result}" for code, result in value.items()]
        elif isinstance(value, list | tuple):
            parts.append(f"{name}={','.join(map(str, value))}")
        elif isinstance(value, bool):
            parts.append(f"{name}={'true' if value else 'false'}")
        else:
            parts.append(f"{name}={'' if value is None else value}")
    return "; ".join(parts)


def profile_parse(text: str) -> dict[str, Any]:
    """The reverse of profile_text; ValueError naming the part that is not field=value."""
    profile: dict[str, Any] = {}
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        name, sep, raw = (s.strip() for s in part.partition("="))
        if not sep or not name:
            raise ValueError(f"{part!r} is not field=value")
        if name.startswith("markers."):
            profile.setdefault("markers", {})[name.removeprefix("markers.")] = raw
            continue
        spec = PROFILE_FIELDS.get(name)
        kind = spec.kind if spec else "choice"
        if kind == "choices":
            profile[name] = [item.strip() for item in raw.split(",") if item.strip()]
        elif kind == "bool":
            profile[name] = {"true": True, "false": False}.get(raw.lower(), raw)
        elif kind == "percent":
            profile[name] = int(raw) if raw.isdigit() else (None if raw == "" else raw)
        else:
            profile[name] = raw or None
    return profile


class ExamplesWidget(forms.Widget):
    """One row per stored example: the profile facts that matter, fires or silent, a note."""

    def render(self, name, value, attrs=None, renderer=None):
        rows = list(value or []) + [{}] * BLANK_ROWS
        body = []
        for row, example in enumerate(rows):
            example = example if isinstance(example, Mapping) else {}
            # Stored examples, or the rows as posted when the form comes back with errors.
            fires = example.get("fires")
            choice = "fires" if fires is True else "silent" if fires is False else fires or ""
            options = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (v, " selected" if v == choice else "", label)
                    for v, label in (("", "—"), ("fires", "fires"), ("silent", "stays silent"))
                ),
            )
            profile = example.get("profile") or {}
            profile = profile if isinstance(profile, str) else profile_text(profile)
            note = example.get("note", "")
            number = row + 1
            cells = [
                format_html("<td>{}</td>", number),
                format_html(
                    '<td><input type="text" name="{}_{}_profile" value="{}" size="60" '
                    'aria-label="Example {} profile facts"></td>',
                    name, row, profile, number,
                ),
                format_html(
                    '<td><select name="{}_{}_fires" aria-label="Example {}: the rule">'
                    "{}</select></td>",
                    name, row, number, options,
                ),
                format_html(
                    '<td><input type="text" name="{}_{}_note" value="{}" size="30" '
                    'aria-label="Example {} note"></td>',
                    name, row, note, number,
                ),
            ]  # fmt: skip
            body.append(
                format_html("<tr>{}</tr>", format_html_join("", "{}", ((c,) for c in cells)))
            )
        return format_html(
            '<table class="examples" id="{}"><thead><tr><th scope="col">#</th>'
            '<th scope="col">Profile facts (field=value; markers.CODE=result; '
            "lists comma-separated) on top of a resistant metastatic case</th>"
            '<th scope="col">The rule</th><th scope="col">Note</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            (attrs or {}).get("id", f"id_{name}"),
            format_html_join("", "{}", ((row,) for row in body)),
        )

    def value_from_datadict(self, data, files, name):
        return [
            {
                "profile": data.get(f"{name}_{row}_profile", ""),
                "fires": data.get(f"{name}_{row}_fires", ""),
                "note": data.get(f"{name}_{row}_note", ""),
            }
            for row in _rows(data, name, "_profile")
        ]

    def value_omitted_from_data(self, data, files, name):
        return f"{name}_0_profile" not in data

    def id_for_label(self, id_):
        return id_


class ExamplesField(forms.Field):
    widget = ExamplesWidget

    def to_python(self, value):
        examples, problems = [], []
        for number, row in enumerate(value or [], start=1):
            if isinstance(row, Mapping) and "profile" in row and isinstance(row["profile"], dict):
                examples.append(dict(row))  # already stored form (initial data)
                continue
            text, fires, note = row["profile"].strip(), row["fires"], row["note"].strip()
            if not text and not fires and not note:
                continue
            if fires not in ("fires", "silent"):
                problems.append(f"Example {number}: say whether the rule fires or stays silent.")
                continue
            try:
                profile = profile_parse(text)
            except ValueError as exc:
                problems.append(f"Example {number}: {exc}.")
                continue
            example = {"profile": profile, "fires": fires == "fires"}
            if note:
                example["note"] = note
            examples.append(example)
        if problems:
            raise ValidationError(problems)
        return examples
