"""The case-profile contract (../shared/spec/case-profile.md), declared once and without Django.

Each field's name, kind, accepted values (with labels, marked for translation), default,
label, help text and form section, in the order forms and pages show them. Everything
else is generated from here: the model's columns (cases.models), the choice classes
(cases.choices), the web and admin forms, the admin fieldsets, the API serializer, the
import columns, the engine's vocabulary and the plain-words labels. Adding a field is one
edit here plus a migration.

Values are exact: rules, fixtures, the API and external clients depend on them.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


def N_(text: str) -> str:
    """Marks a label or help text for translation (core.catalogue extracts `N_(...)`). The
    contract stays in English, as payloads and the engine read it; a page translates a
    text where it shows it (`gettext(label)`, or `translate=` below)."""
    return text


REQUIRED = object()  # marks a field without a default: input must give it
NOTES_MAX_LENGTH = 2000


@dataclass(frozen=True)
class ValueSet:
    """The values a field accepts, each with the constant name code uses and a label."""

    name: str  # the name of the generated choices class, e.g. "Setting"
    items: tuple[tuple[str, str, str], ...]  # (CONSTANT, value, label)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for _, value, _ in self.items)

    @property
    def labels(self) -> dict[str, str]:
        return {value: label for _, value, label in self.items}


TUMOUR_SITES = ValueSet("TumourSite", (
    ("BREAST", "breast", N_("Breast")),
    ("GASTRIC", "gastric", N_("Gastric")),
))  # fmt: skip
SETTINGS = ValueSet("Setting", (
    ("EARLY", "early", N_("Early")),
    ("NEOADJUVANT", "neoadjuvant", N_("Neoadjuvant")),
    ("RESIDUAL_DISEASE", "residual_disease",
     N_("Residual invasive disease after neoadjuvant therapy")),
    ("METASTATIC", "metastatic", N_("Metastatic")),
))  # fmt: skip
AGE_BANDS = ValueSet("AgeBand", (
    ("UNDER_30", "<30", N_("Under 30")),
    ("AGE_30_39", "30-39", "30–39"),
    ("AGE_40_49", "40-49", "40–49"),
    ("AGE_50_59", "50-59", "50–59"),
    ("AGE_60_69", "60-69", "60–69"),
    ("AGE_70_79", "70-79", "70–79"),
    ("AGE_80_89", "80-89", "80–89"),
    ("AGE_90_PLUS", "90+", N_("90 or over")),
))  # fmt: skip
RESPONSES = ValueSet("TrastuzumabResponse", (
    ("NAIVE", "naive", N_("Trastuzumab-naive")),
    ("RESPONDING", "responding", N_("Responding")),
    ("PRIMARY_RESISTANCE", "primary_resistance", N_("Primary resistance")),
    ("ACQUIRED_RESISTANCE", "acquired_resistance", N_("Acquired resistance")),
))  # fmt: skip
THERAPIES = ValueSet("Therapy", (
    ("TRASTUZUMAB", "trastuzumab", N_("Trastuzumab")),
    ("PERTUZUMAB", "pertuzumab", N_("Pertuzumab")),
    ("T_DM1", "t_dm1", N_("Trastuzumab emtansine (T-DM1)")),
    ("T_DXD", "t_dxd", N_("Trastuzumab deruxtecan (T-DXd)")),
    ("LAPATINIB", "lapatinib", N_("Lapatinib")),
    ("TUCATINIB", "tucatinib", N_("Tucatinib")),
    ("ENDOCRINE", "endocrine", N_("Endocrine therapy")),
    ("CDK46_INHIBITOR", "cdk46_inhibitor", N_("CDK4/6 inhibitor")),
    ("CHEMOTHERAPY", "chemotherapy", N_("Chemotherapy")),
    ("RADIOTHERAPY", "radiotherapy", N_("Radiotherapy")),
))  # fmt: skip
HER2_IHC_SCORES = ValueSet("Her2Ihc", (
    ("ZERO", "0", "0"),
    ("ULTRALOW", ">0<1+", N_(">0 <1+ (faint, incomplete staining in ≤10% of cells)")),
    ("ONE", "1+", "1+"),
    ("TWO", "2+", "2+"),
    ("THREE", "3+", "3+"),
))  # fmt: skip
HER2_ISH_RESULTS = ValueSet("Her2Ish", (
    ("AMPLIFIED", "amplified", N_("Amplified")),
    ("NOT_AMPLIFIED", "not_amplified", N_("Not amplified")),
    ("EQUIVOCAL", "equivocal", N_("Equivocal")),
    ("NOT_DONE", "not_done", N_("Not done")),
))  # fmt: skip
HETEROGENEITY = ValueSet("Her2Heterogeneity", (
    ("LOW", "low", N_("Low")),
    ("HIGH", "high", N_("High")),
    ("UNKNOWN", "unknown", N_("Unknown")),
))  # fmt: skip
HER2_STATUSES = ValueSet("Her2Status", (
    ("POSITIVE", "positive", N_("HER2-positive")),
    ("INDETERMINATE", "indeterminate", N_("Indeterminate (ISH needed)")),
    ("LOW", "low", N_("HER2-low")),
    ("ULTRALOW", "ultralow", N_("HER2-ultralow")),
    ("ZERO", "zero", N_("HER2-zero")),
))  # fmt: skip
RECEPTOR = ValueSet("ReceptorStatus", (
    ("POSITIVE", "positive", N_("Positive")),
    ("NEGATIVE", "negative", N_("Negative")),
    ("UNKNOWN", "unknown", N_("Unknown")),
))  # fmt: skip
PIK3CA = ValueSet("Pik3ca", (
    ("MUTATED", "mutated", N_("Mutated")),
    ("WILD_TYPE", "wild_type", N_("Wild type")),
    ("UNKNOWN", "unknown", N_("Unknown")),
))  # fmt: skip
PTEN = ValueSet("Pten", (
    ("LOST", "lost", N_("Lost")),
    ("RETAINED", "retained", N_("Retained")),
    ("UNKNOWN", "unknown", N_("Unknown")),
))  # fmt: skip
METASTATIC_LINES = ValueSet("MetastaticLine", (
    ("FIRST", "1", N_("First line")),
    ("SECOND", "2", N_("Second line")),
    ("THIRD_OR_LATER", "3+", N_("Third line or later")),
    ("UNKNOWN", "unknown", N_("Not stated")),
))  # fmt: skip
MARKER_SCALES = ValueSet("MarkerScale", (
    ("PRESENCE", "presence", N_("Presence (positive / negative)")),
    ("LEVEL", "level", N_("Level (high / normal / low)")),
))  # fmt: skip
ASSAY_STATUSES = ValueSet("AssayStatus", (
    ("STANDARD", "standard", N_("Standard (clinically validated)")),
    ("RESEARCH", "research", N_("Research (not clinically validated)")),
))  # fmt: skip

# The results each marker scale accepts, in the order forms show them.
SCALE_VALUES: dict[str, tuple[str, ...]] = {
    "presence": ("positive", "negative"),
    "level": ("high", "normal", "low"),
}
# Each result in words, for translation (a page shows "p95HER2: високий").
RESULT_WORDS = (N_("positive"), N_("negative"), N_("high"), N_("normal"), N_("low"))
# What the engine sees for a catalogue marker that the profile does not list.
MARKER_NOT_TESTED = "not_tested"

CLINICAL = N_("Clinical context")
HER2 = "HER2"
RECEPTORS = N_("Hormone receptors and pathway genes")
MARKERS = N_("Markers")
SECTIONS = (CLINICAL, HER2, RECEPTORS, MARKERS)


def in_sentence(label: str) -> str:
    """A label inside a sentence: "endocrine therapy", but "CDK4/6 inhibitor", "HER2 IHC"."""
    return label[0].lower() + label[1:] if label[1:2].islower() else label


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # "choice", "choices", "bool", "percent", "text", "markers"
    label: str
    section: str
    choices: ValueSet | None = None
    default: Any = REQUIRED
    optional: bool = False  # None is an accepted value ("not given")
    help: str = ""
    derived: bool = False  # computed from other fields, never accepted as input

    @property
    def values(self) -> tuple[str, ...]:
        return self.choices.values if self.choices else ()

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    @property
    def words(self) -> str:
        """The label inside a sentence: "response to trastuzumab", but "HER2 IHC"."""
        return in_sentence(self.label)

    def value_label(self, value: Any, translate: Callable[[str], str] = str) -> str:
        """A stored value as people read it (labels for choices, "yes"/"no", "not given"),
        in English, or through `translate` (a page passes Django's gettext)."""
        if self.kind == "markers":
            listed = "; ".join(f"{code}: {translate(result)}" for code, result in value.items())
            return listed or translate(N_("none tested"))
        if self.kind == "text":
            return value or "—"
        if value is None or value == "":
            return translate(N_("not given"))
        if self.kind == "bool":
            return translate(N_("yes")) if value else translate(N_("no"))
        if self.kind == "choices":
            labels = self.choices.labels if self.choices else {}
            return ", ".join(translate(labels.get(v, v)) for v in value) or translate(N_("none"))
        if self.kind == "percent":
            return f"{value}%"
        if self.choices:
            return translate(self.choices.labels.get(value, str(value)))
        return str(value)

    def accepts(self, translate: Callable[[str], str] = str) -> str:
        """Describe what this field accepts, for error messages (values stay as they are)."""
        values = ", ".join(self.values)
        if self.kind == "choice":
            if self.optional:
                return translate(N_("one of: %(values)s (or null)")) % {"values": values}
            return translate(N_("one of: %(values)s")) % {"values": values}
        if self.kind == "choices":
            text = N_("a list (possibly empty) of distinct values from: %(values)s")
            return translate(text) % {"values": values}
        if self.kind == "bool":
            return translate(N_("true or false"))
        if self.kind == "percent":
            return translate(N_("a whole number from 0 to 100 (or null)"))
        if self.kind == "text":
            text = N_("de-identified text of at most %(length)s characters")
            return translate(text) % {"length": NOTES_MAX_LENGTH}
        return translate(
            N_("an object mapping marker codes from the catalogue to results on their scale")
        )


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("tumour_site", "choice", N_("Tumour site"), CLINICAL, TUMOUR_SITES, "breast",
              help=N_("The review mentions gastric cancer once (GSE1).")),
    FieldSpec("setting", "choice", N_("Setting"), CLINICAL, SETTINGS,
              help=N_("Residual disease: residual invasive disease after neoadjuvant therapy.")),
    FieldSpec("age_band", "choice", N_("Age band"), CLINICAL, AGE_BANDS, None, optional=True,
              help=N_("Optional; never an exact age (ages over 89 are one band).")),
    FieldSpec("trastuzumab_response", "choice", N_("Response to trastuzumab"), CLINICAL, RESPONSES),
    FieldSpec("prior_therapies", "choices", N_("Prior therapies"), CLINICAL, THERAPIES, ()),
    FieldSpec("metastatic_line", "choice", N_("Line of metastatic therapy"), CLINICAL,
              METASTATIC_LINES, "unknown",
              help=N_("The line of systemic therapy for metastatic disease the board is deciding; "
              "only in the metastatic setting.")),
    FieldSpec("brain_metastases", "bool", N_("Brain metastases"), CLINICAL, default=False),
    FieldSpec("notes", "text", N_("Notes"), CLINICAL, default="",
              help=N_("De-identified discussion notes only: no names, dates, numbers or places.")),
    FieldSpec("her2_ihc", "choice", N_("HER2 IHC"), HER2, HER2_IHC_SCORES,
              help=N_(">0 <1+ is ultralow: faint, incomplete membrane staining in ≤10% of cells.")),
    FieldSpec("her2_ish", "choice", N_("HER2 ISH"), HER2, HER2_ISH_RESULTS, "not_done"),
    FieldSpec("her2_heterogeneity", "choice", N_("HER2 heterogeneity"), HER2, HETEROGENEITY,
              "unknown"),
    FieldSpec("her2_positive_fraction", "percent", N_("HER2-positive cells (%)"), HER2, None, None,
              optional=True, help=N_("Percentage of tumour cells with HER2 overexpression.")),
    FieldSpec("er", "choice", "ER", RECEPTORS, RECEPTOR, "unknown"),
    FieldSpec("pr", "choice", "PR", RECEPTORS, RECEPTOR, "unknown"),
    FieldSpec("pik3ca", "choice", "PIK3CA", RECEPTORS, PIK3CA, "unknown"),
    FieldSpec("pten", "choice", "PTEN", RECEPTORS, PTEN, "unknown"),
    FieldSpec("markers", "markers", N_("Markers"), MARKERS, default={},
              help=N_("Marker code to result; leave a marker out when it was not tested.")),
)  # fmt: skip

# Derived, read-only: shown and filtered on, never accepted as input.
HER2_STATUS = FieldSpec(
    "her2_status", "choice", N_("HER2 status"), HER2, HER2_STATUSES, derived=True,
    help=N_("Derived from HER2 IHC and ISH (ASCO/CAP 2018; low and ultralow are trial-defined)."),
)  # fmt: skip

PROFILE_FIELDS: dict[str, FieldSpec] = {spec.name: spec for spec in FIELDS}
DERIVED_FIELDS: dict[str, FieldSpec] = {HER2_STATUS.name: HER2_STATUS}
ALL_FIELDS: dict[str, FieldSpec] = {**PROFILE_FIELDS, **DERIVED_FIELDS}


def section_fields(section: str) -> Iterator[FieldSpec]:
    return (spec for spec in FIELDS if spec.section == section)


def profile_rows(
    profile: dict[str, Any], translate: Callable[[str], str] = str
) -> list[tuple[str, str]]:
    """(label, value as people read it) for each contract field, in the contract's order."""
    return [
        (translate(spec.label), spec.value_label(profile[spec.name], translate)) for spec in FIELDS
    ]


def words_of(name: str) -> str:
    """A fact's label inside a sentence; marker codes are shown as they are."""
    spec = ALL_FIELDS.get(name)
    return spec.words if spec else name


def label_of(name: str) -> str:
    """A fact's label; marker codes (and unknown names) are shown as they are."""
    spec = ALL_FIELDS.get(name)
    return spec.label if spec else name


# The contract's own example profile (and the one API docs offer as a request example).
EXAMPLE_PROFILE: dict[str, Any] = {
    "tumour_site": "breast",
    "setting": "metastatic",
    "age_band": "50-59",
    "trastuzumab_response": "acquired_resistance",
    "prior_therapies": ["trastuzumab", "pertuzumab", "chemotherapy"],
    "brain_metastases": False,
    "her2_ihc": "3+",
    "her2_ish": "not_done",
    "her2_heterogeneity": "low",
    "er": "positive",
    "pr": "negative",
    "pik3ca": "mutated",
    "pten": "retained",
    "markers": {"p95HER2": "negative", "MUC4": "high"},
}
