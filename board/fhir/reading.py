"""Reading contract facts from FHIR R4 resources: one reader for the API and CDS Hooks.

`fhir_profile_read` takes a Bundle, a list of resources or a CDS prefetch mapping and
returns the facts it could read from codes, which resource each came from, and every
resource it did not use with the reason. Rules, in order:

- only Observations, Conditions and medication resources are read; anything else, and
  anything malformed, is skipped and reported, never an error for the whole call;
- with `patient`, a resource about anyone else is skipped; without it, resources about
  more than one patient are refused (`MixedPatients`);
- only results with status final, amended or corrected count;
- per fact, the newest result (effective[x], else issued) wins; when the newest cannot be
  read, the fact is left unread rather than taken from an older result.

Raw JSON is looked at first (cheap), and only resources that matter are validated with
fhir.resources, so a prefetch of hundreds of variants of other genes stays fast.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.medicationadministration import MedicationAdministration
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.observation import Observation
from pydantic import ValidationError

from board.fhir import codes
from board.fhir.genomics import derived_from, implications_apply, is_implication
from board.fhir.medications import (
    during,
    medication_candidates,
    medications_indexed,
    not_during,
)
from board.fhir.values import (
    Candidate,
    coded,
    component_value,
    date_of,
    gene_of,
    ish_from_quantities,
    positive_negative,
    reference_of,
    result_of,
)

RESULT_STATUSES = {"final", "amended", "corrected"}
MODELS = {
    "Observation": Observation,
    "Condition": Condition,
    "MedicationStatement": MedicationStatement,
    "MedicationAdministration": MedicationAdministration,
    "MedicationRequest": MedicationRequest,
}


class MixedPatients(ValueError):
    """Resources about more than one patient, and no `patient` to choose between them."""


@dataclass
class FhirReading:
    profile: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, list[str]] = field(default_factory=dict)
    ignored: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def skip(self, resource: str, why: str) -> None:
        self.ignored.append({"resource": resource, "why": why})

    def as_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "sources": self.sources,
            "ignored": self.ignored,
            "notes": self.notes,
        }


def _flatten(
    data: Any, where: str, full_url: str | None = None
) -> Iterable[tuple[str, Any, str | None]]:
    """(position, resource, its Bundle entry's fullUrl or None) from a Bundle, a list, a
    resource or a prefetch map."""
    if data is None:
        return
    if isinstance(data, list):
        for n, item in enumerate(data):
            yield from _flatten(item, f"{where}[{n}]")
    elif isinstance(data, Mapping) and data.get("resourceType") == "Bundle":
        entries = data.get("entry")
        for n, entry in enumerate(entries if isinstance(entries, list) else []):
            entry = entry if isinstance(entry, Mapping) else {}
            url = entry.get("fullUrl") if isinstance(entry.get("fullUrl"), str) else None
            yield from _flatten(entry.get("resource"), f"{where}.entry[{n}]", url)
    elif isinstance(data, Mapping) and "resourceType" in data:
        yield where, data, full_url
    elif isinstance(data, Mapping):
        for key, value in data.items():  # a CDS prefetch: key -> resource or Bundle
            yield from _flatten(value, f"prefetch.{str(key)[:40]}")
    else:
        yield where, data, full_url


def _name(where: str, resource: Any) -> str:
    """How `ignored` names a resource; text no UTF-8 answer can carry (a lone surrogate from
    a FHIR server, say) is replaced."""
    if isinstance(resource, Mapping) and isinstance(resource.get("id"), str):
        where = f"{resource.get('resourceType')!s:.40}/{resource['id'][:64]}"
    return where.encode("utf-8", "replace").decode("utf-8")


def _validated(resource: Mapping, reading: FhirReading, name: str) -> bool:
    try:
        MODELS[resource["resourceType"]].model_validate(resource)
    except (ValidationError, ValueError, TypeError) as exc:
        first = str(exc).splitlines()
        reading.skip(name, "not valid FHIR R4: " + (first[1] if len(first) > 1 else first[0])[:200])
        return False
    return True


def fhir_profile_read(data: Any, *, patient: str | None = None) -> FhirReading:
    """The contract facts `data` holds for `patient` (see the module docstring)."""
    reading = FhirReading()
    wanted = reference_of(patient) if patient else None
    candidates: dict[str, list[Candidate]] = {}
    subjects: set[str] = set()
    resources = list(_flatten(data, "body"))
    medications = medications_indexed(resources)
    for where, resource, full_url in resources:
        name = _name(where, resource)
        if not isinstance(resource, Mapping) or not isinstance(resource.get("resourceType"), str):
            reading.skip(name, "not a FHIR resource")
            continue
        kind = resource["resourceType"]
        if kind == "Medication":
            reading.skip(name, "a Medication: read through the resources that reference it")
            continue
        if kind not in MODELS:
            reading.skip(name, f"{kind} resources are not read")
            continue
        subject_field = resource.get("subject")
        subject = (
            reference_of(subject_field.get("reference"))
            if isinstance(subject_field, Mapping)
            else None
        )
        if subject is None:
            reading.skip(name, "no subject: cannot tell whose result it is")
            continue
        if wanted is not None and subject != wanted:
            reading.skip(name, "about another patient than the one asked for")
            continue
        try:
            found = _candidates(kind, resource, name, reading, medications)
        except (TypeError, AttributeError, ValueError, KeyError):
            # A field of the wrong JSON type, met before validation: this resource is
            # skipped and reported; the others are still read.
            reading.skip(name, "a field has the wrong JSON type: not valid FHIR")
            continue
        if found:
            subjects.add(subject)
            refs = {name, full_url} - {None}
            for candidate in found:
                candidate.extra.setdefault("refs", refs)
                candidates.setdefault(candidate.fact, []).append(candidate)
    if wanted is None and len(subjects) > 1:
        raise MixedPatients(
            "The resources are about more than one patient; say which with ?patient=Patient/ID."
        )
    _choose(candidates, reading)
    return reading


def _candidates(
    kind: str, resource: Mapping, name: str, reading: FhirReading, medications: Mapping
) -> list:
    if kind == "Observation":
        return _observation(resource, name, reading)
    if kind == "Condition":
        return _condition(resource, name, reading)
    return medication_candidates(kind, resource, name, reading, medications, _validated)


def _observation(resource: Mapping, name: str, reading: FhirReading) -> list[Candidate]:
    loinc = coded(resource.get("code"), codes.LOINC)
    code_pairs = {(codes.LOINC, c) for c in loinc} | {
        (codes.SNOMED, c) for c in coded(resource.get("code"), codes.SNOMED)
    }
    fact = "implication" if is_implication(resource) else _fact_of(loinc, code_pairs)
    if fact is None:
        found = _panel(resource, name, reading)
        if not found:
            reading.skip(name, "an Observation whose code the reader does not use")
        return found
    if fact == "pik3ca" and gene_of(resource) not in codes.PIK3CA_GENES:
        reading.skip(name, "a variant of another gene than PIK3CA")
        return []
    status = resource.get("status")
    if not isinstance(status, str) or status not in RESULT_STATUSES:
        reading.skip(name, f"status {status!s:.20}: only final, amended or corrected results count")
        return []
    if not _validated(resource, reading, name):
        return []
    when = date_of(resource)
    if fact == "implication":
        significance = component_value(resource, codes.CLINICAL_SIGNIFICANCE)
        return [
            Candidate(fact, significance, name, when, extra={"derived": derived_from(resource)})
        ]
    if fact in ("her2_ish_ratio", "her2_copy_number"):
        quantity = (resource.get("valueQuantity") or {}).get("value")
        if not isinstance(quantity, int | float) or isinstance(quantity, bool):
            reading.skip(name, "a HER2 ISH measurement without a numeric valueQuantity")
            return []
        return [Candidate(fact, float(quantity), name, when)]
    value, why = result_of(fact, resource)
    if fact == "pik3ca":
        present = codes.PRESENT in coded(resource.get("valueCodeableConcept"), codes.LOINC)
        return [Candidate(fact, value, name, when, why, extra={"present": present})]
    if fact == "her2_interpretation":
        value = positive_negative(resource.get("valueCodeableConcept"))
        if value is not None:
            reading.notes.append(
                f"{name}: HER2 interpretation read as {value}; the profile's HER2 status comes "
                "from the IHC score and ISH result, which this is not."
            )
        reading.skip(name, "an overall HER2 interpretation is not an IHC score or ISH result")
        return []
    return [Candidate(fact, value, name, when, why)]


VALUES = ("valueCodeableConcept", "valueQuantity", "valueString", "valueBoolean")


def _panel(resource: Mapping, name: str, reading: FhirReading) -> list[Candidate]:
    """A panel's components whose codes the reader uses, each read as an Observation of
    its own (the panel's status, subject and time, the component's code and value)."""
    components = resource.get("component")
    found: list[Candidate] = []
    for index, component in enumerate(components if isinstance(components, list) else []):
        if not isinstance(component, Mapping):
            continue
        loinc = coded(component.get("code"), codes.LOINC)
        if _fact_of(loinc, {(codes.LOINC, c) for c in loinc}) in (None, "pik3ca"):
            continue
        own = {key: value for key, value in resource.items() if key not in ("component", *VALUES)}
        own["code"] = component.get("code")
        own.update({key: component[key] for key in VALUES if key in component})
        if "interpretation" in component:
            own["interpretation"] = component["interpretation"]
        found += _observation(own, f"{name} component {index + 1}", reading)
    return found


def _fact_of(loinc: set[str], code_pairs: set[tuple[str, str]]) -> str | None:
    if loinc & codes.HER2_IHC_TESTS:
        return "her2_ihc"
    if loinc & codes.HER2_ISH_TESTS:
        return "her2_ish"
    if codes.HER2_ISH_RATIO in loinc:
        return "her2_ish_ratio"
    if codes.HER2_COPY_NUMBER in loinc:
        return "her2_copy_number"
    if codes.HER2_INTERPRETATION in loinc:
        return "her2_interpretation"
    if loinc & codes.ER_TESTS:
        return "er"
    if loinc & codes.PR_TESTS:
        return "pr"
    if codes.VARIANT in loinc:
        return "pik3ca"
    if codes.DISEASE_STATUS in loinc:
        return "disease_status"
    if code_pairs & codes.M_CATEGORY:
        return "m_category"
    if code_pairs & codes.PATHOLOGIC_T_N:
        return "pathologic_t_n"
    return None


def _condition(resource: Mapping, name: str, reading: FhirReading) -> list[Candidate]:
    verification = coded(resource.get("verificationStatus"))
    if verification & {"entered-in-error", "refuted"}:
        reading.skip(name, "a condition entered in error or refuted")
        return []
    clinical = coded(resource.get("clinicalStatus"))
    meta = resource.get("meta")
    profiles = meta.get("profile") if isinstance(meta, Mapping) else None
    profiles = profiles if isinstance(profiles, list) else []
    categories = resource.get("category")
    snomed = coded(resource.get("code"), codes.SNOMED)
    for category in categories if isinstance(categories, list) else []:
        snomed |= coded(category, codes.SNOMED)
    secondary = bool(snomed & codes.SECONDARY_CANCER_SNOMED) or any(
        isinstance(p, str) and p.endswith("/mcode-secondary-cancer-condition") for p in profiles
    )
    if not secondary:
        reading.skip(name, "not an mCODE secondary (metastatic) cancer condition")
        return []
    if clinical and not clinical & {"active", "recurrence", "relapse"}:
        reading.skip(name, "a metastatic condition that is no longer active")
        return []
    if not _validated(resource, reading, name):
        return []
    return [Candidate("setting", "metastatic", name, date_of(resource))]


def _newest(found: list[Candidate]) -> list[Candidate]:
    """The candidates that may be the newest: those at the latest start, and those whose
    span (a date without a time) reaches past it, which cannot be ordered against it."""
    dated = [c for c in found if c.when is not None]
    if not dated:
        return found
    latest = max(c.when.start for c in dated)
    return [c for c in dated if c.when.start == latest or c.when.end > latest]


def _single(fact: str, found: list[Candidate], reading: FhirReading) -> Any:
    """The newest result's value, or None (unread, with a note) when it cannot be read."""
    newest = _newest(found)
    for older in (c for c in found if c not in newest):
        reading.skip(older.source, f"an older {fact} result; the newest one counts")
    values = {c.value for c in newest}
    if None in values:
        why = next(c.why for c in newest if c.value is None)
        for c in newest:
            reading.skip(c.source, f"{fact} not read: {why}")
        return None
    if len(values) > 1:
        for c in newest:
            reading.skip(c.source, f"{fact}: results of the same date disagree")
        return None
    for c in newest:
        reading.sources.setdefault(fact, []).append(c.source)
    return values.pop()


def _choose(candidates: dict[str, list[Candidate]], reading: FhirReading) -> None:
    for fact in ("her2_ihc", "her2_ish", "er", "pr"):
        if candidates.get(fact):
            value = _single(fact, candidates[fact], reading)
            if value is not None:
                reading.profile[fact] = value
    if not candidates.get("her2_ish"):  # a categorical ISH result outranks measurements
        _ish_from_quantities(candidates, reading)
    implications_apply(candidates, reading)
    _pik3ca(candidates.get("pik3ca", []), reading)
    _setting(candidates, reading)
    _line(candidates.get("metastatic_line", []), reading)
    therapies = candidates.get("prior_therapy", [])
    if therapies:
        reading.profile["prior_therapies"] = sorted({c.value for c in therapies})
        reading.sources["prior_therapies"] = sorted({c.source for c in therapies})
    _response(candidates.get("disease_status", []), therapies, reading)


def _ish_from_quantities(candidates: dict, reading: FhirReading) -> None:
    ratios, copies = candidates.get("her2_ish_ratio"), candidates.get("her2_copy_number")
    if not ratios and not copies:
        return
    ratio = _single("her2_ish_ratio", ratios, reading) if ratios else None
    copy = _single("her2_copy_number", copies, reading) if copies else None
    value, why = ish_from_quantities(ratio, copy)
    sources = reading.sources.pop("her2_ish_ratio", []) + reading.sources.pop(
        "her2_copy_number", []
    )
    if value is None:
        reading.notes.append(f"HER2 ISH not read from the ratio and copy number: {why}")
        return
    reading.profile["her2_ish"] = value
    reading.sources["her2_ish"] = sources


def _pik3ca(variants: list[Candidate], reading: FhirReading) -> None:
    """Mutated if any current PIK3CA variant is pathogenic; wild type only on an explicit
    "absent" assessment; a benign or unclassified variant is never read as a mutation."""
    if not variants:
        return
    mutated = [c for c in variants if c.value == "mutated"]
    if mutated:
        reading.profile["pik3ca"] = "mutated"
        reading.sources["pik3ca"] = [c.source for c in mutated]
        return
    absent = [c for c in variants if c.value == "wild_type"]
    unclear = [c for c in variants if c.value not in ("mutated", "wild_type")]
    for c in unclear:
        reading.skip(c.source, f"PIK3CA not read: {c.why}")
    if absent and not unclear:
        reading.profile["pik3ca"] = "wild_type"
        reading.sources["pik3ca"] = [c.source for c in absent]


def _setting(candidates: dict, reading: FhirReading) -> None:
    metastatic = [c for c in candidates.get("m_category", []) if c.value == "M1"]
    metastatic += candidates.get("setting", [])
    if metastatic:
        reading.profile["setting"] = "metastatic"
        reading.sources["setting"] = [c.source for c in metastatic]
        return
    for c in candidates.get("m_category", []):
        reading.skip(c.source, f"setting not read: {c.why or 'M0 does not say which setting'}")
    residual = [c for c in candidates.get("pathologic_t_n", []) if c.value == "residual"]
    if residual:
        reading.profile["setting"] = "residual_disease"
        reading.sources["setting"] = [c.source for c in residual]
    for c in candidates.get("pathologic_t_n", []):
        if c.value != "residual":
            reading.skip(c.source, f"setting not read: {c.why}")


def _line(lines: list[Candidate], reading: FhirReading) -> None:
    """The line of metastatic therapy, read only where the setting read is metastatic."""
    if not lines:
        return
    if reading.profile.get("setting") != "metastatic":
        for c in lines:
            reading.skip(c.source, "line of therapy not read: the setting read is not metastatic")
        return
    value = _single("metastatic_line", lines, reading)
    if value is not None:
        reading.profile["metastatic_line"] = value


def _response(statuses: list[Candidate], therapies: list[Candidate], reading) -> None:
    """mCODE disease status recorded while trastuzumab was being given: worsened is
    acquired resistance, improved or stable is a response. A status recorded before
    trastuzumab started, after it stopped, or at a time that cannot be placed against it
    leaves the response unread, with a note saying why."""
    if not statuses:
        return
    newest = _newest(statuses)
    trend = _single("disease_status", statuses, reading)
    sources = reading.sources.pop("disease_status", [])
    if trend is None:
        return
    trastuzumab = [c for c in therapies if c.value == "trastuzumab"]
    if not trastuzumab:
        reading.notes.append(
            "Disease status read, but no trastuzumab was found: the response to "
            "trastuzumab is not read."
        )
        return
    when = max((c.when for c in newest if c.when is not None), key=lambda w: w.start, default=None)
    given = [c for c in trastuzumab if when is not None and during(when, c.extra)]
    if not given:
        reading.notes.append(not_during(when, [c.extra for c in trastuzumab]))
        return
    response = {"worsened": "acquired_resistance", "improved": "responding",
                "stable": "responding"}.get(trend)  # fmt: skip
    if response is None:
        reading.notes.append(f"Disease status '{trend}' does not say how it responds.")
        return
    reading.profile["trastuzumab_response"] = response
    reading.sources["trastuzumab_response"] = sources + [c.source for c in given]
