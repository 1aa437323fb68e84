"""The contract's choice lists as Django TextChoices, generated from cases.contract.

Models, forms, filters and serializers take `choices=` from here (the NetBox pattern of
one choices module per app); the values and labels themselves are declared only in
cases.contract.
"""

from django.db import models
from django.utils.translation import gettext_lazy

from cases import contract


def _text_choices(value_set: contract.ValueSet) -> type[models.TextChoices]:
    """Labels in the request's language (the contract's English is the message id)."""
    return models.TextChoices(
        value_set.name,
        [(constant, (value, gettext_lazy(label))) for constant, value, label in value_set.items],
    )


TumourSite = _text_choices(contract.TUMOUR_SITES)
Setting = _text_choices(contract.SETTINGS)
AgeBand = _text_choices(contract.AGE_BANDS)
TrastuzumabResponse = _text_choices(contract.RESPONSES)
Therapy = _text_choices(contract.THERAPIES)
Her2Ihc = _text_choices(contract.HER2_IHC_SCORES)
Her2Ish = _text_choices(contract.HER2_ISH_RESULTS)
Her2Heterogeneity = _text_choices(contract.HETEROGENEITY)
Her2Status = _text_choices(contract.HER2_STATUSES)
ReceptorStatus = _text_choices(contract.RECEPTOR)
Pik3ca = _text_choices(contract.PIK3CA)
Pten = _text_choices(contract.PTEN)
MarkerScale = _text_choices(contract.MARKER_SCALES)
AssayStatus = _text_choices(contract.ASSAY_STATUSES)
MetastaticLine = _text_choices(contract.METASTATIC_LINES)

# The choices class of every choice field, by field name (forms, filters, serializers).
FIELD_CHOICES: dict[str, type[models.TextChoices]] = {
    spec.name: globals()[spec.choices.name]
    for spec in contract.ALL_FIELDS.values()
    if spec.choices is not None
}
SCALE_VALUES = contract.SCALE_VALUES
MARKER_NOT_TESTED = contract.MARKER_NOT_TESTED
