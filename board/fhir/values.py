"""Reading single values out of raw FHIR JSON: codes, dates, references, results.

Every function here copes with any JSON (wrong types included) and answers None rather
than raising; the reader reports what it could not read.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from board.fhir import codes


@dataclass(frozen=True)
class When:
    """When a FHIR time applies, in UTC, as the span it names: an instant is a span of no
    length (start == end); a date without a time covers its whole day in UTC (a month or
    year likewise its whole month or year), because FHIR does not say where in the day it
    lies. A time with no offset is read as UTC (FHIR requires one with a time)."""

    start: datetime
    end: datetime

    def before(self, other: "When") -> bool:
        """Wholly earlier: nothing of this span is at or after `other` starts."""
        return self.end <= other.start if self.end > self.start else self.start < other.start


@dataclass
class Candidate:
    """One resource's reading of one fact: a value, or None with the reason."""

    fact: str
    value: Any
    source: str
    when: When | None
    why: str = ""
    extra: dict = field(default_factory=dict)


def _codings(concept: Any) -> list[Mapping]:
    if not isinstance(concept, Mapping):
        return []
    items = concept.get("coding")
    return [c for c in items if isinstance(c, Mapping)] if isinstance(items, list) else []


def _system(coding: Mapping) -> Any:
    """A coding's system; "http://loinc.org/" reads as "http://loinc.org"."""
    system = coding.get("system")
    return system.rstrip("/") if isinstance(system, str) else system


def coded(concept: Any, system: str | None = None) -> set[str]:
    """The codes of a CodeableConcept (in `system`, when given)."""
    return {
        c["code"]
        for c in _codings(concept)
        if isinstance(c.get("code"), str) and (system is None or _system(c) == system)
    }


def pairs(concept: Any) -> set[tuple[str, str]]:
    return {(_system(c), c["code"]) for c in _codings(concept) if isinstance(c.get("code"), str)}


def text_of(concept: Any) -> str | None:
    """A CodeableConcept's text, or a display of a coding without a code."""
    if not isinstance(concept, Mapping):
        return None
    if isinstance(concept.get("text"), str):
        return concept["text"]
    for c in _codings(concept):
        if not c.get("code") and isinstance(c.get("display"), str):
            return c["display"]
    return None


def phrase(table: str, text: Any) -> str | None:
    if not isinstance(text, str):
        return None
    return codes.PHRASES[table].get(" ".join(text.split()).lower())


def reference_of(reference: Any) -> str | None:
    """ "Patient/123" from "Patient/123", "https://host/fhir/Patient/123" or "urn:uuid:..."."""
    if not isinstance(reference, str) or not reference:
        return None
    if reference.startswith("urn:"):
        return reference
    parts = reference.rstrip("/").split("/")
    if "_history" in parts:
        parts = parts[: parts.index("_history")]
    return "/".join(parts[-2:]) if len(parts) >= 2 else reference


def instant(text: Any) -> When | None:
    """A FHIR date, dateTime or instant as a span in UTC (see When), or None."""
    if not isinstance(text, str):
        return None
    try:
        if len(text) == 4:
            year = int(text)
            return When(datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC))
        if len(text) == 7:
            year, month = int(text[:4]), int(text[5:7])
            following = (year + month // 12, month % 12 + 1)
            return When(datetime(year, month, 1, tzinfo=UTC), datetime(*following, 1, tzinfo=UTC))
        if len(text) == 10:
            start = datetime.combine(date.fromisoformat(text), datetime.min.time(), tzinfo=UTC)
            return When(start, start + timedelta(days=1))
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return When(moment, moment)


def date_of(resource: Mapping) -> When | None:
    """When a result or treatment applies: effective[x] (period end, else start), issued,
    or a condition's onset/recorded date."""
    for key in ("effectiveDateTime", "effectiveInstant", "onsetDateTime", "recordedDate",
                "authoredOn", "occurrenceDateTime"):  # fmt: skip
        if key in resource:
            return instant(resource[key])
    period = resource.get("effectivePeriod") or resource.get("onsetPeriod")
    if isinstance(period, Mapping):
        return instant(period.get("end")) or instant(period.get("start"))
    return instant(resource.get("issued"))


def _components(resource: Mapping) -> list[Mapping]:
    items = resource.get("component")
    return [c for c in items if isinstance(c, Mapping)] if isinstance(items, list) else []


def component_value(resource: Mapping, loinc: str) -> Any:
    for component in _components(resource):
        if loinc in coded(component.get("code"), codes.LOINC):
            return component.get("valueCodeableConcept")
    return None


def gene_of(resource: Mapping) -> str | None:
    concept = component_value(resource, codes.GENE_STUDIED)
    for coding in _codings(concept):
        if _system(coding) in codes.HGNC_SYSTEMS and isinstance(coding.get("code"), str):
            return coding["code"]
    return None


def positive_negative(concept: Any) -> str | None:
    found = pairs(concept)
    if found & codes.POSITIVE and not found & codes.NEGATIVE:
        return "positive"
    if found & codes.NEGATIVE and not found & codes.POSITIVE:
        return "negative"
    if found & codes.EQUIVOCAL:
        return "equivocal"
    return None


def _interpretation(resource: Mapping) -> str | None:
    found = set()
    items = resource.get("interpretation")
    for concept in items if isinstance(items, list) else []:
        found |= coded(concept, codes.INTERPRETATION)
    if found & codes.INTERPRETATION_POSITIVE and not found & codes.INTERPRETATION_NEGATIVE:
        return "positive"
    if found & codes.INTERPRETATION_NEGATIVE and not found & codes.INTERPRETATION_POSITIVE:
        return "negative"
    return None


def result_of(fact: str, resource: Mapping) -> tuple[Any, str]:
    """(value, "") when read, (None, why) when not."""
    concept = resource.get("valueCodeableConcept")
    if fact == "her2_ihc":
        scores = {
            codes.IHC_ANSWERS[c] for c in coded(concept, codes.LOINC) if c in codes.IHC_ANSWERS
        }
        if len(scores) == 1:
            return scores.pop(), ""
        if positive_negative(concept):
            return None, "a positive/negative result without a score (0, 1+, 2+ or 3+)"
        value = phrase("her2_ihc", text_of(concept)) or phrase(
            "her2_ihc", resource.get("valueString")
        )
        return (
            (value, "")
            if value
            else (None, "no IHC score code, nor an exact phrase the reader knows")
        )
    if fact == "her2_ish":
        verdict = positive_negative(concept)
        mapped = {"positive": "amplified", "negative": "not_amplified", "equivocal": "equivocal"}
        if verdict:
            return mapped[verdict], ""
        value = phrase("her2_ish", text_of(concept)) or phrase(
            "her2_ish", resource.get("valueString")
        )
        return (
            (value, "")
            if value
            else (None, "no ISH result code, nor an exact phrase the reader knows")
        )
    if fact in ("er", "pr"):
        value = positive_negative(concept)
        if value is None and concept is None and "valueString" not in resource:
            value = _interpretation(resource)
        elif value is None:
            value = phrase("receptor", text_of(concept)) or phrase(
                "receptor", resource.get("valueString")
            )
        if value == "equivocal":
            return None, "an equivocal receptor result"
        interpretation = _interpretation(resource)
        if value and interpretation and interpretation != value:
            return None, "the value and its interpretation disagree"
        return (value, "") if value else (None, "no receptor result code, nor an exact phrase")
    if fact == "pik3ca":
        presence = coded(concept, codes.LOINC)
        if codes.ABSENT in presence:
            return "wild_type", ""
        if codes.PRESENT not in presence:
            return None, "the variant's presence is not coded (LA9633-4 / LA9634-2)"
        return significance_of(component_value(resource, codes.CLINICAL_SIGNIFICANCE))
    if fact == "disease_status":
        trend = coded(concept, codes.SNOMED)
        for code, word in ((codes.WORSENED, "worsened"), (codes.IMPROVED, "improved"),
                           (codes.STABLE, "stable")):  # fmt: skip
            if code in trend:
                return word, ""
        return None, "a disease status the reader does not use"
    if fact == "m_category":
        found = pairs(concept)
        if {c for s, c in found if s == codes.SNOMED} & codes.M1_SNOMED or {
            c for s, c in found if s == codes.AJCC
        } & codes.M1_AJCC:
            return "M1", ""
        return None, "not an M1 category"
    if fact == "pathologic_t_n":
        ajcc = {c for s, c in pairs(concept) if s == codes.AJCC}
        post = [c for c in ajcc if c.startswith("yp")]
        if not post:
            return None, "not a post-neoadjuvant (yp) category"
        if any(c not in ("ypT0", "ypTis", "ypN0") for c in post):
            return "residual", ""
        return None, "no residual invasive disease (ypT0/ypTis/ypN0)"
    return None, "not read"


def ish_from_quantities(ratio: float | None, copies: float | None) -> tuple[str | None, str]:
    """ASCO/CAP 2018 dual-probe ISH groups: only group 1 (ratio >= 2.0 with >= 4.0 copies)
    is amplified and group 5 (ratio < 2.0 with < 4.0 copies) not amplified; groups 2-4
    need the concurrent IHC review, so they are not read."""
    if ratio is None or copies is None:
        return None, "both the HER2/CEP17 ratio and the HER2 copy number are needed"
    if ratio >= 2.0 and copies >= 4.0:
        return "amplified", ""
    if ratio < 2.0 and copies < 4.0:
        return "not_amplified", ""
    return None, "ASCO/CAP 2018 group 2-4: the call needs the concurrent IHC review"


def significance_of(concept: Any) -> tuple[str | None, str]:
    """A present variant's reading from its clinical significance (53037-8)."""
    significance = coded(concept, codes.LOINC)
    if significance & codes.PATHOGENIC:
        return "mutated", ""
    if significance & codes.BENIGN:
        return None, "a benign variant is not a mutation that matters here"
    return None, "the variant's clinical significance is absent or unknown"
