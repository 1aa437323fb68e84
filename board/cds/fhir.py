"""FHIR R4 Observations coded as mCODE does, read into contract profile fields.

Parsing and validation are fhir.resources' (pydantic models of the FHIR spec); this module
only maps coded results to the contract's values. Prefetch values may be a Bundle or a
single Observation.
"""

import re
from collections.abc import Iterable, Mapping
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation

LOINC = "http://loinc.org"
HER2_IHC = "85319-2"
HER2_ISH = "85318-4"
ER = "85337-4"
PR = "85339-0"
VARIANT = "69548-6"  # genetic variant assessment
GENE_STUDIED = "48018-6"
PIK3CA_HGNC = "HGNC:8975"


class FhirError(ValueError):
    """The prefetch could not be read as FHIR; `str()` says why."""


def _words(concept) -> str:
    if concept is None:
        return ""
    parts = [concept.text or ""]
    parts += [f"{c.code or ''} {c.display or ''}" for c in concept.coding or []]
    return " ".join(parts).lower()


def _codes(concept) -> set[str]:
    return {c.code for c in (concept.coding or []) if c.code} if concept is not None else set()


def _ihc(observation: Observation) -> str | None:
    text = _words(observation.valueCodeableConcept) or (observation.valueString or "").lower()
    for pattern, value in (
        (r">\s*0\s*<\s*1\+|ultralow", ">0<1+"),
        (r"\b3\+", "3+"),
        (r"\b2\+", "2+"),
        (r"\b1\+", "1+"),
        (r"(^|\b)0\b|negative \(0\)", "0"),
    ):
        if re.search(pattern, text):
            return value
    return None


def _ish(observation: Observation) -> str | None:
    text = _words(observation.valueCodeableConcept)
    if "equivocal" in text or "indeterminate" in text:
        return "equivocal"
    if "not amplified" in text or "negative" in text or "la6577-6" in text:
        return "not_amplified"
    if "amplified" in text or "positive" in text or "la6576-8" in text:
        return "amplified"
    return None


def _receptor(observation: Observation) -> str | None:
    text = _words(observation.valueCodeableConcept)
    if "negative" in text or "la6577-6" in text:
        return "negative"
    if "positive" in text or "la6576-8" in text:
        return "positive"
    return None


def _pik3ca(observation: Observation) -> str | None:
    genes = {
        code
        for component in observation.component or []
        if _loinc_code(component.code) == GENE_STUDIED
        for code in _codes(component.valueCodeableConcept)
    }
    if PIK3CA_HGNC not in genes:
        return None
    text = _words(observation.valueCodeableConcept)
    if "absent" in text or "la9634-2" in text:
        return "wild_type"
    if "present" in text or "la9633-4" in text:
        return "mutated"
    return None


def _loinc_code(concept) -> str | None:
    for coding in (concept.coding or []) if concept is not None else []:
        if coding.system == LOINC:
            return coding.code
    return None


READERS = {HER2_IHC: ("her2_ihc", _ihc), HER2_ISH: ("her2_ish", _ish), ER: ("er", _receptor),
           PR: ("pr", _receptor), VARIANT: ("pik3ca", _pik3ca)}  # fmt: skip


def _observations(prefetch: Mapping[str, Any]) -> Iterable[Observation]:
    for key, resource in prefetch.items():
        if resource is None:
            continue
        if not isinstance(resource, Mapping):
            raise FhirError(f"prefetch {key!s:.40} is not a FHIR resource")
        try:
            if resource.get("resourceType") == "Bundle":
                bundle = Bundle.model_validate(resource)
                for entry in bundle.entry or []:
                    if (
                        entry.resource is not None
                        and entry.resource.get_resource_type() == "Observation"
                    ):
                        yield Observation.model_validate(entry.resource.model_dump())
            elif resource.get("resourceType") == "Observation":
                yield Observation.model_validate(resource)
        except ValueError as exc:
            raise FhirError(
                f"prefetch {key!s:.40} is not valid FHIR R4: {str(exc)[:300]}"
            ) from None


def profile_from_prefetch(prefetch: Mapping[str, Any]) -> dict[str, str]:
    """Contract fields found in the prefetched Observations (later ones win)."""
    found: dict[str, str] = {}
    for observation in _observations(prefetch):
        code = _loinc_code(observation.code)
        if code in READERS:
            field, reader = READERS[code]
            value = reader(observation)
            if value is not None:
                found[field] = value
    return found
