"""Curation of the knowledge base in the admin, with history (diff and revert) on every model."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cases.models import CaseProfile
from core.forms import LinesField
from rules.choices import RuleStatus
from rules.curation import rule_preview, rule_save, rule_status_set
from rules.forms import ChangeReasonForm, RuleForm
from rules.knowledge_base import knowledge_base_problems, knowledge_base_published
from rules.knowledge_base_file import REFERENCE_FIELDS
from rules.models import Mechanism, Reference, Release, Rule, Strategy
from rules.releases import release_check, release_publish
from rules.reviews import (
    ChangeMoved,
    change_decide,
    changes_blocking,
    changes_pending,
    changes_unapproved,
    key_released,
)
from rules.translations import in_english


def _revision(value: str | None) -> int:
    """The revision the review form was drawn at (-1 when missing: never current)."""
    return int(value) if value and value.isdigit() else -1


class ReferenceForm(ChangeReasonForm):
    caveats = LinesField(
        required=False,
        label=_("Caveats (English)"),
        help_text=Reference._meta.get_field("caveats").help_text,
    )
    caveats_uk = LinesField(
        required=False,
        label=_("Caveats in Ukrainian"),
        help_text=_("The caveats above in Ukrainian, one per line, in the same order."),
    )

    class Meta:
        model = Reference
        fields = [*REFERENCE_FIELDS, "caveats_uk"]


class ReleasedKeyAdmin(SimpleHistoryAdmin):
    """A released entry's key (slug) is read-only: a rename would be a removal and an
    addition, each needing its own review (security review 2, M9)."""

    section = ""  # the knowledge-base section, as rules.reviews names it
    key_field = "slug"

    def _key_fixed(self, obj) -> bool:
        return obj is not None and key_released(
            section=self.section, key=getattr(obj, self.key_field)
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, self.key_field] if self._key_fixed(obj) else fields

    def get_prepopulated_fields(self, request, obj=None):
        return {} if self._key_fixed(obj) else super().get_prepopulated_fields(request, obj)


class ReasonedAdmin(ReleasedKeyAdmin):
    """Saves keep the curator's reason in the history (the release changelog reads it)."""

    def save_model(self, request, obj, form, change):
        form.reason_attach(obj)
        with in_english():  # the history records the English text of record
            super().save_model(request, obj, form, change)


@admin.register(Reference)
class ReferenceAdmin(ReasonedAdmin):
    section, key_field = "references", "key"
    form = ReferenceForm
    list_display = ["key", "label", "year", "journal", "doi", "pmid", "retracted", "has_caveats"]
    list_filter = ["retracted", "year"]
    search_fields = ["key", "label", "authors", "title", "journal", "doi", "pmid"]
    readonly_fields = ["links", "caveat_notice", "cited_by"]
    fieldsets = [
        (None, {"fields": ["caveat_notice", "key", "label", "retracted", "caveats", "caveats_uk"]}),
        (_("Notes for curators"), {"fields": ["citation_notes"]}),
        (
            _("Bibliographic record"),
            {"fields": ["authors", "year", "title", "journal", "volume", "issue", "pages"]},
        ),
        (_("Identifiers"), {"fields": ["doi", "pmid", "doi_source", "links"]}),
        (_("Use"), {"fields": ["cited_by"]}),
        (_("Why"), {"fields": ["change_reason"]}),
    ]

    @admin.display(boolean=True, description=_("caveats"))
    def has_caveats(self, obj):
        return bool(obj.caveats)

    @admin.display(description=_("links"))
    def links(self, obj):
        items = [
            (url, label) for url, label in ((obj.doi_url, "DOI"), (obj.pubmed_url, "PubMed")) if url
        ]
        return format_html_join(" · ", '<a href="{}" rel="noopener">{}</a>', items) or "—"

    @admin.display(description=_("shown with every citation"))
    def caveat_notice(self, obj):
        if not obj.caveats and not obj.retracted:
            return "—"
        prefix = "RETRACTED. " if obj.retracted else ""
        return format_html(
            '<strong class="errornote">{}{}</strong>', prefix, " ".join(obj.caveats or [])
        )

    @admin.display(description=_("cited by rules"))
    def cited_by(self, obj):
        rules = [r for r in Rule.objects.only("slug", "citations") if obj.key in r.citations]
        return ", ".join(r.slug for r in rules) or "—"


class MechanismForm(ChangeReasonForm):
    class Meta:
        model = Mechanism
        fields = ["name", "name_uk", "slug", "description", "position"]
        labels = {"name": _("Name (English)"), "name_uk": _("Name in Ukrainian")}


class StrategyForm(ChangeReasonForm):
    class Meta:
        model = Strategy
        fields = ["name", "name_uk", "slug", "agents", "therapies", "description"]
        labels = {"name": _("Name (English)"), "name_uk": _("Name in Ukrainian")}


@admin.register(Mechanism)
class MechanismAdmin(ReasonedAdmin):
    section = "mechanisms"
    form = MechanismForm
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Strategy)
class StrategyAdmin(ReasonedAdmin):
    section = "strategies"
    form = StrategyForm
    list_display = ["name", "slug", "agents"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Rule)
class RuleAdmin(ReleasedKeyAdmin):
    section = "rules"
    form = RuleForm
    # What a curator scans first (status, evidence, review) comes before what is long.
    list_display = [
        "slug",
        "status",
        "evidence_level",
        "short_title",
        "kind",
        "mechanism",
        "citation_count",
    ]
    list_filter = ["status", "kind", "evidence_level", "mechanism"]
    search_fields = ["slug", "title", "condition", "rationale"]
    list_select_related = ["mechanism", "strategy"]
    readonly_fields = ["citation_notice", "preview_link", "updated_at"]
    history_list_display = ["status"]
    actions = ["publish", "retire", "to_draft"]
    fieldsets = [
        (None, {"fields": ["slug", "title", "status", "kind", "preview_link"]}),
        (
            _("What it says"),
            {"fields": ["mechanism", "strategy", "evidence_level", "rationale", "provenance"]},
        ),
        (
            _("In Ukrainian"),
            {
                "fields": ["title_uk", "rationale_uk", "provenance_uk", "unreviewed_translation"],
                "description": _(
                    "A translation is reviewed like any other change. Until a second "
                    "curator approves it, it ships marked 'not yet reviewed'."
                ),
            },
        ),
        (_("When it fires"), {"fields": ["condition", "examples"]}),
        (_("Citations"), {"fields": ["citations", "citation_notice"]}),
        (None, {"fields": ["change_reason", "updated_at", "version"]}),
    ]

    @admin.display(description=_("citations"))
    def citation_count(self, obj):
        return len(obj.citations or [])

    @admin.display(description=_("cited references"))
    def citation_notice(self, obj):
        references = Reference.objects.in_bulk(obj.citations or [], field_name="key")
        rows = [
            (
                references[k].label,
                references[k].title,
                " — RETRACTED" if references[k].retracted else "",
                f" ({' '.join(references[k].caveats)})" if references[k].caveats else "",
            )
            for k in obj.citations or []
            if k in references
        ]
        return (
            format_html_join("", "<p><strong>{}</strong>: {}<strong>{}</strong>{}</p>", rows) or "—"
        )

    @admin.display(description=_("preview"))
    def preview_link(self, obj):
        if not obj.pk:
            return gettext("Save the draft first, then preview it against any case or example.")
        url = reverse("admin:rules_rule_preview", args=[obj.pk])
        words = gettext("Preview this rule against a case or its examples")
        return format_html('<a href="{}">{}</a>', url, words)

    def save_model(self, request, obj, form, change):
        form.reason_attach(obj)
        rule_save(rule=obj, expected_version=form.cleaned_data.get("version"))

    def get_list_display(self, request):
        # Changes since the latest release, read once per list: the "review" column.
        pending = {change.key: change for change in changes_pending() if change.section == "rules"}

        @admin.display(description=_("review"))
        def review(obj):
            change = pending.get(obj.slug)
            if change is None:
                return gettext("released")
            if change.approved_by:
                state = gettext("approved by %(name)s") % {"name": change.approved_by}
            else:
                state = gettext("awaits review")
            if change.released_unreviewed:
                return gettext("released; its translation %(state)s") % {"state": state}
            if change.translation_only:
                return gettext("its translation %(state)s") % {"state": state}
            return state

        return [*self.list_display[:3], review, *self.list_display[3:]]

    @admin.display(description=_("title"), ordering="title")
    def short_title(self, obj):
        return obj.title if len(obj.title) <= 60 else obj.title[:59] + "…"

    def changelist_view(self, request, extra_context=None):
        # Rules users are not getting (a stored condition that no longer compiles or that
        # raised at evaluation) are said where curators look first.
        for problem in knowledge_base_problems(knowledge_base=knowledge_base_published()):
            messages.warning(request, problem)
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [path("<int:pk>/preview/", preview, name="rules_rule_preview"), *super().get_urls()]

    def case_preview_allowed(self, request, case) -> bool:
        """Whether this curator may see what a rule does on a stored case (board's admin
        says no while they owe a proposal for it: propose first)."""
        return True

    def preview_view(self, request, pk):
        rule = get_object_or_404(Rule.objects.select_related("mechanism", "strategy"), pk=pk)
        if not self.has_view_or_change_permission(request, rule):
            raise PermissionDenied
        code = request.GET.get("case", "").strip()
        case = CaseProfile.objects.filter(code=code).first() if code else None
        withheld = case is not None and not self.case_preview_allowed(request, case)
        if withheld:
            case = None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": rule,
            "title": f"Preview {rule.slug} ({rule.get_status_display()})",
            "case_code": code,
            "case_missing": bool(code) and case is None and not withheld,
            "case_withheld": withheld,
            "preview": rule_preview(rule=rule, case=case),
        }
        return TemplateResponse(request, "admin/rules/rule/preview.html", context)

    def _set_status(self, request, queryset, status):
        done = 0
        for rule in queryset:
            try:
                rule._change_reason = f"status set to {status} by an admin action"
                rule_status_set(rule=rule, status=status)
                done += 1
            except ValidationError as exc:
                messages.error(
                    request,
                    gettext("%(rule)s not changed: %(why)s")
                    % {"rule": rule.slug, "why": "; ".join(exc.messages)},
                )
        if done:
            messages.success(
                request,
                ngettext("%(count)s rule now %(status)s.", "%(count)s rules now %(status)s.", done)
                % {"count": done, "status": RuleStatus(status).label},
            )

    @admin.action(description=_("Publish selected rules"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, RuleStatus.PUBLISHED)

    @admin.action(description=_("Retire selected rules"), permissions=["change"])
    def retire(self, request, queryset):
        self._set_status(request, queryset, RuleStatus.RETIRED)

    @admin.action(description=_("Return selected rules to draft"), permissions=["change"])
    def to_draft(self, request, queryset):
        self._set_status(request, queryset, RuleStatus.DRAFT)


class ReleaseForm(forms.ModelForm):
    class Meta:
        model = Release
        fields = ["name"]
        help_texts = {
            "name": _(
                "e.g. 2026.2. Publishing makes the knowledge base as it now stands what "
                "every user's evaluation uses, with a changelog from the recorded reasons."
            )
        }

    def clean_name(self):
        try:
            release_check(name=self.cleaned_data["name"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict.get("name", exc.messages)) from None
        return self.cleaned_data["name"].strip()


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    """Publish a release (the add form) and read past ones; a release never changes."""

    form = ReleaseForm
    list_display = ["name", "published_at", "published_by", "change_count"]
    readonly_fields = ["name", "published_at", "published_by", "version", "changelog_lines"]

    @admin.display(description=_("changes"))
    def change_count(self, obj):
        return len(obj.changelog)

    @admin.display(description=_("changelog"))
    def changelog_lines(self, obj):
        return format_html_join("", "<p>{}</p>", ((line,) for line in obj.changelog))

    def get_fields(self, request, obj=None):
        return ["name"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        published = release_publish(name=obj.name, user=request.user)
        obj.pk, obj.published_at = published.pk, published.published_at

    def response_add(self, request, obj, post_url_continue=None):
        messages.success(
            request,
            gettext("Published release %(name)s; users see it from now on.") % {"name": obj.name},
        )
        return super().response_add(request, obj, post_url_continue)

    def get_urls(self):
        review = self.admin_site.admin_view(self.review_view)
        return [path("review/", review, name="rules_release_review"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        waiting = len(changes_blocking(changes_unapproved()))
        if waiting:
            url = reverse("admin:rules_release_review")
            messages.info(
                request,
                format_html(
                    ngettext(
                        '{} change awaits review: <a href="{}">review it</a>.',
                        '{} changes await review: <a href="{}">review them</a>.',
                        waiting,
                    ),
                    waiting,
                    url,
                ),
            )
        return super().changelist_view(request, extra_context)

    def review_view(self, request):
        """The changes since the latest release, each with its diff, Approve and Reject."""
        if not request.user.has_perm("rules.change_rule"):
            raise PermissionDenied(gettext("Only curators review changes."))
        if request.method == "POST":
            section, key = request.POST.get("section", ""), request.POST.get("key", "")
            decision = "approve" if request.POST.get("decision") == "approve" else "reject"
            try:
                change_decide(
                    section=section,
                    key=key,
                    reviewer=request.user,
                    decision=decision,
                    reason=request.POST.get("reason", ""),
                    revision=_revision(request.POST.get("revision")),
                )
                if decision == "approve":
                    messages.success(
                        request,
                        gettext("Approved %(section)s %(key)s.") % {"section": section, "key": key},
                    )
                else:
                    messages.success(
                        request,
                        gettext("Rejected %(section)s %(key)s: the release's version is back.")
                        % {"section": section, "key": key},
                    )
            except (ValidationError, PermissionDenied, ChangeMoved) as exc:
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            return HttpResponseRedirect(reverse("admin:rules_release_review"))
        changes = changes_pending()
        context = {
            **self.admin_site.each_context(request),
            "changes": [c for c in changes if not c.translation_only],
            "translations": [c for c in changes if c.translation_only],
            "release": Release.objects.newest(),
            "title": gettext("Changes awaiting review"),
        }
        return TemplateResponse(request, "admin/rules/review.html", context)
