"""Genomics Reporting's current shape: a variant's clinical significance on a Diagnostic
Implication Observation `derivedFrom` it (board.fhir.reading calls these).

The Genomics Reporting IG (HL7/genomics-reporting, input/fsh/CGImplications.fsh) moved
clinical significance (LOINC 53037-8) off the variant onto a Diagnostic Implication: an
Observation coded tbd-codes#diagnostic-implication whose `derivedFrom` names the variant,
by its id or by the Bundle entry's fullUrl. A present PIK3CA variant with no significance
of its own takes the significance of an implication derived from it.
"""

from collections.abc import Mapping

from board.fhir import codes
from board.fhir.values import Candidate, pairs, reference_of, significance_of


def is_implication(resource: Mapping) -> bool:
    return any(
        system in codes.GR_TBD_SYSTEMS and code == codes.DIAGNOSTIC_IMPLICATION
        for system, code in pairs(resource.get("code"))
    )


def derived_from(resource: Mapping) -> set[str]:
    """The references an implication is derived from, as written and as Type/id."""
    found: set[str] = set()
    items = resource.get("derivedFrom")
    for item in items if isinstance(items, list) else []:
        reference = item.get("reference") if isinstance(item, Mapping) else None
        if isinstance(reference, str):
            found |= {reference, reference_of(reference) or reference}
    return found


def implications_apply(candidates: dict[str, list[Candidate]], reading) -> None:
    """Read each present PIK3CA variant without a significance of its own from the
    implications derived from it; report implications of no variant the reader uses."""
    implications = candidates.pop("implication", [])
    variants = candidates.get("pik3ca", [])
    used: set[str] = set()
    for index, variant in enumerate(variants):
        if variant.value is not None or not variant.extra.get("present"):
            continue
        mine = [i for i in implications if i.extra["derived"] & variant.extra["refs"]]
        readings = [(significance_of(i.value), i) for i in mine]
        mutated = [i for (value, _), i in readings if value == "mutated"]
        if mutated:
            variants[index] = Candidate(
                "pik3ca", "mutated", variant.source, variant.when, extra=variant.extra
            )
            reading.notes.append(
                f"{variant.source}: clinical significance read from "
                + ", ".join(i.source for i in mutated)
            )
        elif readings:
            (_, why), _ = readings[0]
            variants[index] = Candidate("pik3ca", None, variant.source, variant.when, why)
        used |= {i.source for i in mine}
    for implication in implications:
        if implication.source not in used:
            reading.skip(
                implication.source, "a diagnostic implication of no PIK3CA variant read here"
            )
