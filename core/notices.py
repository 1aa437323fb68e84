"""The research-use notice that every page and payload carries, in its long and short forms.
Payloads carry the English; pages show it in the request's language (core.context_processors)."""

from django.utils.translation import gettext_noop

DISCLAIMER_SHORT = gettext_noop(
    'Research and training use only. Not for clinical decisions. "No matching rule" does not '
    'mean "nothing to consider".'
)
DISCLAIMER = gettext_noop(
    "Research and training use only. Not for clinical decisions. her2-board is not a medical "
    "device: it encodes one literature review (Vynnychenko & Moskalenko, 2024, Regulatory "
    "Mechanisms in Biosystems 15(2):345-352) for tumour-board teaching, and its suggestions "
    'must not guide the treatment of any patient. "No matching rule" does not mean "nothing '
    'to consider".'
)
