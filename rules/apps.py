"""The knowledge-base app; saving a release or a marker clears this process's cached
knowledge base (rules.knowledge_base), so the next request here reads it afresh."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "rules"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        from cases.models import Marker
        from rules.knowledge_base import knowledge_base_cache_clear
        from rules.models import Release

        for model in (Release, Marker):
            for signal in (post_save, post_delete):
                signal.connect(knowledge_base_cache_clear, sender=model, weak=False)
