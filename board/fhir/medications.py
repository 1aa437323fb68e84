"""Reading therapies from FHIR medication resources, and the response to trastuzumab from
the disease status recorded while it was being given (board.fhir.reading calls these).

A medication counts as given only with a status that says so, and a MedicationRequest only
as an order; its drug is read from RxNorm codes alone (board.fhir.codes), on the resource
or on the Medication it references. A therapy's course is placed in time (board.fhir.values
.When) so that a disease status is trusted only when it was recorded during it.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from board.fhir import codes
from board.fhir.values import Candidate, When, coded, date_of, instant, reference_of

# Statuses that mean the drug was given, or is being given, by resource type; the first of
# each pair of sets is "still being given".
MEDICATION_STATUSES = {
    "MedicationStatement": {"active", "completed", "stopped"},
    # stopped: halted before every dose was given, so some were.
    "MedicationAdministration": {"completed", "in-progress", "stopped"},
    "MedicationRequest": {"active", "completed"},
}
ONGOING_STATUSES = {"active", "in-progress"}
# A MedicationRequest is a therapy given only as an order; a proposal or a plan is not.
ORDER_INTENTS = {"order", "original-order", "reflex-order", "filler-order", "instance-order"}
# A proposal or a plan is what the board is deciding: read for its line of therapy only.
PLAN_INTENTS = {"proposal", "plan"}
PLAN_STATUSES = {"draft", "active", "on-hold"}


def _line_candidates(resource: Mapping, name: str, reading, validated) -> list:
    """The line of metastatic therapy a proposed or planned MedicationRequest codes in its
    category (SNOMED CT, board.fhir.codes.THERAPY_LINES); nothing else is read from it."""
    categories = resource.get("category")
    categories = categories if isinstance(categories, list) else [categories]
    lines = {codes.THERAPY_LINES[c] for concept in categories
             for c in coded(concept, codes.SNOMED) if c in codes.THERAPY_LINES}  # fmt: skip
    if resource.get("status") not in PLAN_STATUSES:
        why = f"status {resource.get('status')!s:.20}: not a line still being decided"
    elif len(lines) != 1:
        why = "more than one line of therapy coded" if lines else "no line of therapy coded"
    else:
        why = ""
    if why:
        reading.skip(
            name,
            f"a MedicationRequest with intent {resource.get('intent')!s:.20} is not a therapy "
            f"given (only an order says the drug was given); it is read only for the line of "
            f"therapy it codes: {why}",
        )
        return []
    if not validated(resource, reading, name):
        return []
    return [Candidate("metastatic_line", lines.pop(), name, date_of(resource))]


def medications_indexed(resources: Iterable[tuple[str, Any, str | None]]) -> dict[str, Mapping]:
    """The Medication resources among (position, resource, fullUrl) triples (the reader's
    flattened input), by the references that can name them: "Medication/<id>" and the
    Bundle entry's fullUrl."""
    found: dict[str, Mapping] = {}
    for _, resource, full_url in resources:
        if not isinstance(resource, Mapping) or resource.get("resourceType") != "Medication":
            continue
        if isinstance(resource.get("id"), str):
            found[f"Medication/{resource['id']}"] = resource
        if full_url:
            found[full_url] = resource
    return found


def _medication_code(resource: Mapping, medications: Mapping) -> Any:
    """The medication's CodeableConcept: medicationCodeableConcept, or the code of the
    Medication its medicationReference names (contained, or in the Bundle)."""
    if "medicationCodeableConcept" in resource:
        return resource["medicationCodeableConcept"]
    reference = (resource.get("medicationReference") or {}).get("reference")
    if not isinstance(reference, str):
        return None
    if reference.startswith("#"):
        contained = resource.get("contained")
        for item in contained if isinstance(contained, list) else []:
            if (
                isinstance(item, Mapping)
                and item.get("resourceType") == "Medication"
                and (item.get("id") == reference[1:])
            ):
                return item.get("code")
        return None
    medication = medications.get(reference) or medications.get(reference_of(reference))
    return medication.get("code") if medication else None


def medication_candidates(
    kind: str, resource: Mapping, name: str, reading, medications: Mapping, validated
) -> list:
    """A prior therapy per contract value the medication resource codes, or [] with the
    reason in `reading` (`validated(resource, reading, name)` checks it is valid FHIR)."""
    status = resource.get("status")
    if not isinstance(status, str) or not isinstance(resource.get("intent", ""), str):
        reading.skip(name, "status or intent is not a string: not valid FHIR")
        return []
    if kind == "MedicationRequest" and resource.get("intent") in PLAN_INTENTS:
        return _line_candidates(resource, name, reading, validated)
    if status not in MEDICATION_STATUSES[kind]:
        reading.skip(name, f"medication status {status!s:.20} does not mean it was given")
        return []
    intent = resource.get("intent")
    if kind == "MedicationRequest" and intent not in ORDER_INTENTS:
        reading.skip(
            name,
            f"a MedicationRequest with intent {intent!s:.20}: only an order says the drug was "
            "given (a proposal or a plan does not)",
        )
        return []
    rxnorm = coded(_medication_code(resource, medications), codes.RXNORM)
    therapies = {codes.RXNORM_THERAPIES[c] for c in rxnorm if c in codes.RXNORM_THERAPIES}
    if therapies & codes.ANTIBODY_DRUG_CONJUGATES:
        therapies.discard("trastuzumab")  # RxNorm files the ADCs under trastuzumab
    if not therapies:
        outside = sorted({codes.RXNORM_OUTSIDE_THE_CONTRACT[c] for c in rxnorm
                          if c in codes.RXNORM_OUTSIDE_THE_CONTRACT})  # fmt: skip
        if outside:
            reading.skip(name, f"{', '.join(outside)}: not among the contract's prior therapies")
        else:
            reading.skip(name, "no RxNorm code the reader knows")
        return []
    if not validated(resource, reading, name):
        return []
    start, end = _therapy_span(resource)
    span = {"start": start, "end": end, "ongoing": status in ONGOING_STATUSES}
    return [
        Candidate("prior_therapy", therapy, name, date_of(resource), extra=span)
        for therapy in sorted(therapies)
    ]


def _therapy_span(resource: Mapping) -> tuple[When | None, When | None]:
    """When a therapy started and ended (None: not said): effectivePeriod, a single
    effective[x] time, or a request's authoredOn as its start."""
    period = resource.get("effectivePeriod")
    if isinstance(period, Mapping):
        return instant(period.get("start")), instant(period.get("end"))
    for key in ("effectiveDateTime", "effectiveInstant"):
        if key in resource:
            when = instant(resource[key])
            return when, when
    return instant(resource.get("authoredOn")), None


def during(when: When, span: Mapping) -> bool:
    """Whether a status at `when` was recorded while the therapy was being given."""
    start, end = span["start"], span["end"]
    if start is None or when.before(start):
        return False
    if end is not None:
        return not end.before(when)
    return span["ongoing"]


def not_during(when: When | None, spans: list[Mapping]) -> str:
    unread = "the response to trastuzumab is not read."
    if when is None:
        return f"The newest disease status has no date: {unread}"
    starts = [s["start"] for s in spans if s["start"] is not None]
    if starts and all(when.before(start) for start in starts):
        return (
            "The newest disease status was recorded before trastuzumab started, and none "
            f"since: {unread}"
        )
    if any(s["end"] is not None and s["end"].before(when) for s in spans):
        return f"The newest disease status was recorded after trastuzumab stopped: {unread}"
    return f"No date places the newest disease status while trastuzumab was given: {unread}"
