"""The curator's rule form without JSON: citations chosen from the references with the
browser's own autocomplete, and examples edited as rows (profile facts, fires or silent,
note). Each widget posts plain inputs (`<name>_<row>...`) and its field turns them back
into the list the model stores; the markup is in rules/templates/rules/widgets/.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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

    template_name = "rules/widgets/citations.html"

    def __init__(self, *, references: Sequence[tuple[str, str]] = (), attrs=None):
        super().__init__(attrs)
        self.references = references

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            keys=list(value or []) + [""] * BLANK_ROWS,
            listed=f"{name}-references",
            references=self.references,
            box_id=(attrs or {}).get("id", f"id_{name}"),
        )
        return context

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

    template_name = "rules/widgets/examples.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        examples = []
        for example in list(value or []) + [{}] * BLANK_ROWS:
            example = example if isinstance(example, Mapping) else {}
            # Stored examples, or the rows as posted when the form comes back with errors.
            fires = example.get("fires")
            profile = example.get("profile") or {}
            examples.append(
                {
                    "choice": "fires" if fires is True else "silent" if fires is False else fires,
                    "profile": profile if isinstance(profile, str) else profile_text(profile),
                    "note": example.get("note", ""),
                }
            )
        context["widget"].update(examples=examples, box_id=(attrs or {}).get("id", f"id_{name}"))
        return context

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
                problems.append(
                    _("Example %(number)s: say whether the rule fires or stays silent.")
                    % {"number": number}
                )
                continue
            try:
                profile = profile_parse(text)
            except ValueError as exc:
                problems.append(
                    _("Example %(number)s: %(problem)s.") % {"number": number, "problem": exc}
                )
                continue
            example = {"profile": profile, "fires": fires == "fires"}
            if note:
                example["note"] = note
            examples.append(example)
        if problems:
            raise ValidationError(problems)
        return examples
