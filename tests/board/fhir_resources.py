"""FHIR R4 resources as senders shape them, for the reader and CDS Hooks tests."""

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
PATIENT = "Patient/p1"


def coding(system, code, display=None):
    item = {"system": system, "code": code}
    if display:
        item["display"] = display
    return {"coding": [item]}


def observation(loinc, value=None, *, id="o1", status="final", subject=PATIENT,
                date="2024-05-01", **extra):  # fmt: skip
    resource = {
        "resourceType": "Observation",
        "id": id,
        "status": status,
        "code": coding(LOINC, loinc),
        "subject": {"reference": subject},
        "effectiveDateTime": date,
        **extra,
    }
    if value is not None:
        resource["valueCodeableConcept"] = value
    return resource


def ihc(score_code, **kw):
    return observation("85319-2", coding(LOINC, score_code), **kw)


def variant(gene="HGNC:8975", presence="LA9633-4", significance=None, **kw):
    components = [{"code": coding(LOINC, "48018-6"),
                   "valueCodeableConcept": coding("http://www.genenames.org", gene)}]  # fmt: skip
    if significance:
        components.append(
            {"code": coding(LOINC, "53037-8"), "valueCodeableConcept": coding(LOINC, significance)}
        )
    return observation("69548-6", coding(LOINC, presence), component=components, **kw)


def medication(rxnorm, *, id="m1", status="active", start="2024-01-01", end=None):
    period = {"start": start}
    if end:
        period["end"] = end
    return {
        "resourceType": "MedicationStatement",
        "id": id,
        "status": status,
        "medicationCodeableConcept": coding("http://www.nlm.nih.gov/research/umls/rxnorm", rxnorm),
        "subject": {"reference": PATIENT},
        "effectivePeriod": period,
    }


def m_category(snomed_code, **kw):
    return observation("21907-1", coding(SNOMED, snomed_code), **kw)


def disease_status(snomed_code, **kw):
    return observation("97509-4", coding(SNOMED, snomed_code), **kw)


def bundle(*resources):
    return {"resourceType": "Bundle", "type": "searchset",
            "entry": [{"resource": r} for r in resources]}  # fmt: skip


def medication_request(rxnorm, *, id="r1", status="active", intent="order",
                       authored="2024-01-01"):  # fmt: skip
    return {
        "resourceType": "MedicationRequest",
        "id": id,
        "status": status,
        "intent": intent,
        "medicationCodeableConcept": coding("http://www.nlm.nih.gov/research/umls/rxnorm", rxnorm),
        "subject": {"reference": PATIENT},
        "authoredOn": authored,
    }
