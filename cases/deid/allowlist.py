"""Clinical references that look like identifiers but are not: masked before screening.

Registry and database identifiers (NCT, PMID, PMC, DOI, ISRCTN, EudraCT), variant notation
(HGVS transcripts and c./p./g. changes, dbSNP rsIDs), UUIDs (CDS hook instances), LOINC
codes and answer codes (with a valid LOINC check digit), year ranges, and named scores and
criteria ("Mayo Clinic criteria", "the Manchester score"). Masking keeps
every offset, so a refusal still points at the right characters.
"""

import re

from cases.deid.screens import RegexScreen

# A named clinical score or criteria set: a place or a person's name before one of these
# words names the method, not the patient (security review 2, L7).
SCORE_WORDS = ("criteria", "score", "scale", "classification", "grad", "index", "staging",
               "system", "nomogram", "algorithm", "consensus", "guideline")  # fmt: skip

_LOINC_LIKE = re.compile(r"(?<![\w.\-/])(\d{1,5})-(\d)(?![\w\-/]|\.\d)")


class ClinicalReferences(RegexScreen):
    """Finds the references to mask; a RegexScreen for its speed, not an identifier."""

    patterns = (
        (
            re.compile(r"[0-9a-fA-F]{8}-"),
            r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
        ),  # UUID
        (("nct",), r"\bNCT\d{8}\b"),  # ClinicalTrials.gov
        (("isrctn",), r"\bISRCTN\d{8}\b"),
        (re.compile(r"\d{4}-\d{6}"), r"\b\d{4}-\d{6}-\d{2}\b"),  # EudraCT
        (("pmid",), r"\bPMID\s*:?\s*\d{1,9}\b"),
        (("pmc",), r"\bPMCID\s*:?\s*PMC\d+\b|\bPMC\d{5,9}\b"),
        (("10.",), r"\b10\.\d{4,9}/[^\s,;]+"),  # DOI
        (re.compile(r"[rR][sS]\d"), r"\brs\d{3,12}\b"),  # dbSNP
        (
            ("_",),
            r"\b(?:NM|NP|NC|NG|NR|XM|XP|ENST|ENSG|LRG)_?\d+(?:\.\d+)?(?::[cgmnpr]\.[^\s,;]+)?",
        ),
        (("c.", "p.", "g.", "m.", "n.", "r."), r"\b[cgmnpr]\.(?:\*|-|[A-Z][a-z]{0,2})?\d+[^\s,;]*"),
        (re.compile(r"[lL][aA]\d"), r"\bLA\d{3,6}-\d\b"),  # LOINC answer codes
        (
            ("loinc", "snomed", "rxnorm", "rxcui", "icd", "omim", "hgnc"),
            r"\b(?:LOINC|SNOMED(?:\s*CT)?|RxNorm|RXCUI|ICD-?1[01](?:-CM)?|OMIM|HGNC)\s*:?\s*"
            r"[A-Z]?\d[\d.\-]*",
        ),
        (
            ("19", "20"),
            r"\b(?:19|20)\d{2}\s*(?:-|–|to)\s*(?:19|20)\d{2}\b",  # 2021-2023
        ),
        (  # named scores and criteria: "Mayo Clinic criteria", "the Manchester score"
            SCORE_WORDS,
            r"\b(?:St\.?\s+)?[A-Z][a-z]+(?:[-\s][A-Z][a-z]+)?(?:\s+Clinic)?\s+"
            r"(?:criteria|score|scoring|scale|classification|grade|grading|index|staging|"
            r"system|nomogram|algorithm|consensus|guidelines?)\b",
        ),
    )


ALLOWED = ClinicalReferences()


def _loinc_check_digit(number: str) -> str:
    """LOINC's mod-10 check digit (Luhn over the code's digits)."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return str((10 - total % 10) % 10)


def clinical_references_mask(text: str) -> str:
    """`text` with clinical references replaced by spaces (same length, same offsets)."""

    masked = text
    for start, end in ALLOWED.find(text):
        masked = masked[:start] + " " * (end - start) + masked[end:]

    def loinc(match: re.Match) -> str:
        number, check = match.group(1), match.group(2)
        if len(number) >= 3 and _loinc_check_digit(number) == check:
            return " " * len(match.group())
        return match.group()

    return _LOINC_LIKE.sub(loinc, masked) if "-" in masked else masked
