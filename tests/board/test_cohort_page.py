"""The cohort page explains itself: templates that import back, refusals in spreadsheet
order, the stored-case filter apart from the upload, an upload's own downloads, and
charts in words."""

import io

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.contract import EXAMPLE_PROFILE
from cases.models import CaseProfile
from cases.profile import profile_clean
from cases.selectors import marker_scales_get
from rules.choices import EVIDENCE_LABELS, EvidenceLevel
from rules.knowledge_base import knowledge_base_published

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client, name, content, action):
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post("/cohort/", {"file": upload, "action": action})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_has_every_column_and_imports_back_as_the_example(client, trainee, fmt):
    client.force_login(trainee)
    template = client.get(f"/cohort/template.{fmt}")
    assert template.status_code == 200
    read = pd.read_csv if fmt == "csv" else pd.read_excel
    frame = read(io.BytesIO(template.content), dtype=str, keep_default_na=False)
    markers = sorted(knowledge_base_published().marker_scales)
    assert "setting" in frame.columns and "notes" in frame.columns
    assert set(markers) <= set(frame.columns) and len(frame) == 1
    imported = _upload(client, f"template.{fmt}", template.content, "import")
    assert imported.status_code == 302
    example = profile_clean(data=EXAMPLE_PROFILE, marker_scales=marker_scales_get())
    assert CaseProfile.objects.get().as_profile() == example


def test_refusals_are_listed_by_spreadsheet_row_then_column(client, trainee):
    content = (
        b"notes,her2_ihc,setting,trastuzumab_response,nonsense\n"
        b"fine,4+,metastatic,naive,\n"
        b"Mrs. Kowalska,3+,adjuvant,never,\n"
        b"fine,5+,metastatic,naive,\n"
    )
    client.force_login(trainee)
    report = _upload(client, "bad.csv", content, "dashboard").context["report"]
    where = [(e["row"], e["column"]) for e in report]
    assert where == [
        (None, "nonsense"),
        (2, "her2_ihc"),
        (3, "notes"),
        (3, "setting"),
        (3, "trastuzumab_response"),
        (4, "her2_ihc"),
    ]


def test_a_capped_report_keeps_the_first_rows_in_spreadsheet_order(client, trainee, settings):
    from cases import tabular

    rows = "".join(f"{'x' if i % 2 else 'metastatic'},naive,{i}+\n" for i in range(150))
    content = ("setting,trastuzumab_response,her2_ihc\n" + rows).encode()
    client.force_login(trainee)
    page = _upload(client, "many.csv", content, "dashboard")
    kept = [e["row"] for e in page.context["report"]]
    assert kept == sorted(kept) and kept[0] == 2 and len(kept) == tabular.REPORT_MAX


def test_an_uploaded_dashboard_downloads_its_own_evaluation(client, trainee, other_trainee):
    content = (
        b"setting,trastuzumab_response,her2_ihc,pik3ca\n"
        b"metastatic,acquired_resistance,3+,mutated\nearly,naive,0,\n"
    )
    client.force_login(trainee)
    page = _upload(client, "mine.csv", content, "dashboard")
    token = page.context["upload_token"]
    html = page.content.decode()
    assert f"/cohort/upload/{token}.csv" in html and f"/cohort/upload/{token}.xlsx" in html
    download = client.get(f"/cohort/upload/{token}.csv")
    frame = pd.read_csv(io.BytesIO(download.content), dtype=str, keep_default_na=False)
    assert len(frame) == 2 and list(frame["evaluation.her2_status"]) == ["positive", "zero"]
    slugs = frame.loc[0, "evaluation.rule_slugs"].split(";")
    titles = frame.loc[0, "evaluation.rule_titles"].split(" | ")
    assert len(slugs) == len(titles) and "pi3k-inhibitor-with-trastuzumab" in slugs
    rules = {rule.slug: rule.title for rule in knowledge_base_published().ruleset.rules}
    assert titles == [rules[slug] for slug in slugs]
    assert CaseProfile.objects.count() == 0
    excel = client.get(f"/cohort/upload/{token}.xlsx")
    assert excel["Content-Type"] == XLSX
    client.force_login(other_trainee)  # another user cannot fetch it
    assert client.get(f"/cohort/upload/{token}.csv", follow=True).redirect_chain


def test_the_charts_use_labels_order_evidence_and_leave_out_scope(client, trainee):
    content = (
        b"setting,trastuzumab_response,her2_ihc,pik3ca,MUC4\n"
        b"metastatic,acquired_resistance,3+,mutated,high\n"
        b"metastatic,naive,0,,\n"
    )
    client.force_login(trainee)
    board = _upload(client, "c.csv", content, "dashboard").context["dashboard"]
    assert {label for label, _, _ in board["her2_status"]} == {"HER2-positive", "HER2-zero"}
    levels = [label for label, _, _ in board["evidence_level"]]
    order = [EVIDENCE_LABELS[v] for v in EvidenceLevel.values]
    assert levels == sorted(levels, key=order.index)
    assert all(label in order for label in levels)
    assert "Scope" not in {label.split()[0] for label, _, _ in board["mechanism"]}
    assert [code for code, *_ in board["markers"]] == ["MUC4"]


def test_the_stored_case_downloads_sit_apart_from_the_upload(client, trainee):
    client.force_login(trainee)
    html = client.get("/cohort/").content.decode()
    stored = html[html.index('id="stored-title"') : html.index('id="upload-title"')]
    upload = html[html.index('id="upload-title"') :]
    assert "/cohort/export.csv" in stored and "/cohort/export.csv" not in upload
    assert "/cohort/template.csv" in upload


# Security review 2, M11: accepted uploads are kept in a store meant for it, with a
# per-user quota, a total limit and expiry.

CONTENT = b"setting,trastuzumab_response,her2_ihc\nmetastatic,acquired_resistance,3+\n"


def test_a_users_oldest_kept_uploads_make_room_for_a_new_one(client, trainee, settings):
    from board.models import KeptUpload

    settings.UPLOAD_KEPT_PER_USER_BYTES = 2 * len(CONTENT)
    client.force_login(trainee)
    tokens = [_upload(client, f"{n}.csv", CONTENT, "dashboard").context["upload_token"]
              for n in range(3)]  # fmt: skip
    assert all(tokens)
    assert list(KeptUpload.objects.values_list("token", flat=True)) == tokens[1:]
    assert client.get(f"/cohort/upload/{tokens[0]}.csv", follow=True).redirect_chain
    assert client.get(f"/cohort/upload/{tokens[2]}.csv").status_code == 200


def test_past_the_total_limit_nothing_more_is_kept_and_the_page_says_so(
    client, trainee, other_trainee, settings
):
    from board.models import KeptUpload

    settings.UPLOAD_KEPT_TOTAL_BYTES = len(CONTENT)
    client.force_login(other_trainee)
    assert _upload(client, "theirs.csv", CONTENT, "dashboard").context["upload_token"]
    client.force_login(trainee)
    page = _upload(client, "mine.csv", CONTENT, "dashboard")
    assert page.context["upload_token"] == "" and page.context["dashboard"]
    assert "too large to keep for downloads now" in page.content.decode()
    assert KeptUpload.objects.count() == 1


def test_an_expired_upload_is_gone_and_purged(client, trainee):
    from datetime import timedelta

    from django.utils import timezone

    from board.models import KeptUpload

    client.force_login(trainee)
    token = _upload(client, "old.csv", CONTENT, "dashboard").context["upload_token"]
    KeptUpload.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/cohort/upload/{token}.csv", follow=True).redirect_chain
    _upload(client, "new.csv", CONTENT, "dashboard")
    assert not KeptUpload.objects.filter(token=token).exists()
