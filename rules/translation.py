"""The knowledge base's translated fields, registered with django-modeltranslation.

Each registered field gets a column per language (`title_en_gb`, `title_uk`). English is
the text of record: the engine, payloads, caches and look-ups by name read it, under
rules.translations.in_english; the Ukrainian columns are the curators' working copy of
the translation, which users see only once released (rules.translations).
"""

from modeltranslation.translator import TranslationOptions, register

from rules.models import Mechanism, Reference, Rule, Strategy


@register(Rule)
class RuleTranslation(TranslationOptions):
    fields = ("title", "rationale", "provenance")


@register(Strategy)
class StrategyTranslation(TranslationOptions):
    fields = ("name",)


@register(Mechanism)
class MechanismTranslation(TranslationOptions):
    fields = ("name",)


@register(Reference)
class ReferenceTranslation(TranslationOptions):
    fields = ("caveats",)
