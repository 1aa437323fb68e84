"""Hostile uploads cost one refusal, not the site (security review M3, L6): a decompression
bomb, a million-column CSV, a huge body, NUL characters, endless error reports. Each is
refused with a message naming the limit, within 5 s and 200 MB of the worker's memory."""

import io
import os
import threading
import time
import zipfile
from contextlib import contextmanager

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import CaseProfile
from cases.tabular import REPORT_MAX, UPLOAD_LIMITS, frame_read
from core.isolation import LimitExceeded, run_bounded
from tests.factories import CONTRACT_EXAMPLE, token_client, user_create

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024
SECONDS_MAX = 5
MEMORY_MAX = 200 * MIB


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@contextmanager
def worker_cost():
    """Wall time and the peak rise of this process's resident memory while the block runs
    (sampled by a thread every few milliseconds)."""
    baseline = _rss()
    cost = {"peak": baseline}
    done = threading.Event()

    def sample():
        while not done.wait(0.005):
            cost["peak"] = max(cost["peak"], _rss())

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.monotonic()
    try:
        yield cost
    finally:
        cost["seconds"] = time.monotonic() - started
        done.set()
        sampler.join()
        cost["memory"] = max(cost["peak"], _rss()) - baseline


def _bomb_xlsx(rows: int = 2_000_000) -> bytes:
    """A real workbook whose sheet XML inflates about 250:1 (the red team's 1.2 MB file)."""
    book = io.BytesIO()
    openpyxl.Workbook().save(book)
    source = zipfile.ZipFile(io.BytesIO(book.getvalue()))
    out = io.BytesIO()
    row = (
        '<row><c t="inlineStr"><is><t>metastatic</t></is></c>'
        '<c t="inlineStr"><is><t>naive</t></is></c><c t="inlineStr"><is><t>3+</t></is></c></row>'
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item, source.read(item))
                continue
            with target.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/'
                            b'spreadsheetml/2006/main"><sheetData>')  # fmt: skip
                chunk = (row * 10_000).encode()
                for _ in range(rows // 10_000):
                    sheet.write(chunk)
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb():
    return _bomb_xlsx()


def _wide_csv(columns: int) -> bytes:
    header = "setting,trastuzumab_response,her2_ihc," + ",".join(f"c{i}" for i in range(columns))
    return (header + "\nmetastatic,naive,3+" + "," * columns + "\n").encode()


def _upload(client, name: str, content: bytes, action: str = "dashboard"):
    return client.post("/cohort/", {"file": SimpleUploadedFile(name, content), "action": action})


def _file_error(response) -> str:
    return " ".join(response.context["form"].errors["file"])


@pytest.mark.slow  # building the bomb takes a few seconds
def test_a_decompression_bomb_is_refused_before_it_is_unpacked(client, trainee, bomb):
    assert len(bomb) < 3 * MIB
    client.force_login(trainee)
    with worker_cost() as cost:
        response = _upload(client, "bomb.xlsx", bomb)
    assert response.status_code == 200
    assert "would unpack to 265 MB; at most 64 MB" in _file_error(response)
    assert cost["seconds"] < SECONDS_MAX and cost["memory"] < MEMORY_MAX


def test_a_small_but_tightly_packed_part_is_refused_as_a_bomb(client, trainee):
    client.force_login(trainee)
    with worker_cost() as cost:
        response = _upload(client, "small-bomb.xlsx", _bomb_xlsx(rows=200_000))
    assert "compressed more than 100:1" in _file_error(response)
    assert cost["seconds"] < SECONDS_MAX and cost["memory"] < MEMORY_MAX


@pytest.mark.parametrize("columns", [100_000, 1_000_000])
def test_a_csv_with_too_many_columns_is_refused_from_its_header(client, trainee, columns):
    client.force_login(trainee)
    with worker_cost() as cost:
        response = _upload(client, "wide.csv", _wide_csv(columns))
    error = _file_error(response)
    assert f"{columns + 3:,} columns" in error and f"at most {UPLOAD_LIMITS.columns}" in error
    assert len(response.content) < 100_000  # not a 32 MB report
    assert cost["seconds"] < SECONDS_MAX and cost["memory"] < MEMORY_MAX


def test_a_huge_body_is_refused_before_a_byte_is_read(client, trainee):
    class Unreadable(io.RawIOBase):
        def read(self, *args):
            raise AssertionError("the body was read")

    client.force_login(trainee)
    with worker_cost() as cost:
        response = client.generic(
            "POST",
            "/cohort/",
            b"x",
            content_type="multipart/form-data; boundary=xyz",
            CONTENT_LENGTH=str(120 * MIB),
            **{"wsgi.input": Unreadable()},
        )
    assert response.status_code == 413
    assert b"larger than 20 MB" in response.content
    assert cost["seconds"] < SECONDS_MAX


def test_a_file_over_the_row_limit_is_refused(settings):
    rows = UPLOAD_LIMITS.rows + 1
    content = ("setting,trastuzumab_response,her2_ihc\n" + "metastatic,naive,3+\n" * rows).encode()
    with pytest.raises(ValueError, match=f"more than {UPLOAD_LIMITS.rows:,} rows"):
        frame_read(content, name="long.csv")


def test_a_nul_inside_a_csv_cell_is_refused_not_cut_short(client, trainee):
    client.force_login(trainee)
    content = b"setting,trastuzumab_response,her2_ihc,notes\nmetastatic,naive,3+,a\x00b\n"
    response = _upload(client, "nul.csv", content, action="import")
    assert "NUL character (U+0000) in row 2" in _file_error(response)
    assert CaseProfile.objects.count() == 0


def test_a_report_lists_the_first_problems_and_counts_the_rest(client, trainee):
    client.force_login(trainee)
    rows = "".join(f"adjuvant{i},naive,3+\n" for i in range(5_000))
    content = ("setting,trastuzumab_response,her2_ihc\n" + rows).encode()
    response = _upload(client, "bad.csv", content)
    assert len(response.context["report"]) == REPORT_MAX
    assert f"{5_000 - REPORT_MAX} more were found" in response.content.decode()


def test_a_very_long_cell_is_refused_and_not_echoed_whole(client, trainee):
    client.force_login(trainee)
    content = ("setting,trastuzumab_response,her2_ihc\n" + "m" * 100_000 + ",naive,3+\n").encode()
    response = _upload(client, "long-cell.csv", content)
    (entry,) = response.context["report"]
    assert "Longer than 5,000 characters" in entry["problem"]
    assert len(entry["value"]) < 100


def test_thousands_of_unknown_marker_codes_get_one_short_error():
    api_markers = {f"X{i}": "high" for i in range(55_000)}

    user = user_create("api-user", "trainee")
    response = token_client(user).post(
        "/api/v1/evaluate/", {**CONTRACT_EXAMPLE, "markers": api_markers}, format="json"
    )
    assert response.status_code == 400
    assert len(response.content) < 5_000
    assert "at most one result per catalogue code" in response.content.decode()


def test_a_few_unknown_marker_codes_are_named_with_the_catalogue_once(client):

    user = user_create("api-user", "trainee")
    markers = {"ZZ1": "high", "ZZ2": "high", "MUC4": "high"}
    response = token_client(user).post(
        "/api/v1/evaluate/", {**CONTRACT_EXAMPLE, "markers": markers}, format="json"
    )
    text = response.content.decode()
    assert "ZZ1, ZZ2" in text and text.count("The catalogue has") == 1


def _busy():
    while True:
        pass


def _hungry():
    return bytearray(2048 * MIB)


def test_the_bounded_worker_stops_a_parse_that_runs_too_long():
    with worker_cost() as cost, pytest.raises(LimitExceeded, match=r"longer than 0\.5 s"):
        run_bounded(_busy, seconds=0.5, memory_bytes=256 * MIB)
    assert cost["seconds"] < SECONDS_MAX


def test_the_bounded_worker_stops_a_parse_that_needs_too_much_memory():
    with worker_cost() as cost, pytest.raises(LimitExceeded, match="more than 256 MB"):
        run_bounded(_hungry, seconds=4, memory_bytes=256 * MIB)
    assert cost["memory"] < MEMORY_MAX


def test_the_bounded_worker_gives_back_the_result_and_the_refusal():
    assert run_bounded(sum, [1, 2, 3], seconds=4, memory_bytes=256 * MIB) == 6
    with pytest.raises(ValueError, match=r"Upload a \.csv"):
        run_bounded(frame_read, b"", name="x.txt", seconds=4, memory_bytes=256 * MIB)


# M10: every check in the bounded child, a time budget under the worker's, a few at once.

GOOD_CSV = b"setting,trastuzumab_response,her2_ihc,notes\nmetastatic,naive,3+,liver metastases\n"


def test_every_check_of_an_upload_runs_in_the_bounded_child(client, trainee, monkeypatch):
    def frame_clean(frame, **kwargs):
        raise ValueError(f"checked in process {os.getpid()}")

    monkeypatch.setattr("board.uploads.frame_clean", frame_clean)
    client.force_login(trainee)
    for action in ("dashboard", "import"):
        error = _file_error(_upload(client, "cohort.csv", GOOD_CSV, action=action))
        assert error.startswith("checked in process ")
        assert error != f"checked in process {os.getpid()}"  # not this worker
    assert CaseProfile.objects.count() == 0


def test_checks_that_run_out_of_time_are_stopped_and_say_how_to_split_the_file(
    client, trainee, monkeypatch, settings
):
    def frame_clean(frame, **kwargs):  # a screen that never ends, bounded for safety
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            pass

    monkeypatch.setattr("board.uploads.frame_clean", frame_clean)
    settings.UPLOAD_PARSE_SECONDS = 1
    client.force_login(trainee)
    with worker_cost() as cost:
        error = _file_error(_upload(client, "cohort.csv", GOOD_CSV, action="import"))
    assert "Checking the file took longer than 1 s; it was stopped." in error
    assert "Split it into smaller files, each with the header row" in error
    assert cost["seconds"] < SECONDS_MAX
    assert CaseProfile.objects.count() == 0


def test_with_every_upload_slot_taken_another_upload_is_refused_at_once(client, trainee, settings):
    from core.isolation import slot_hold

    settings.UPLOAD_CHECKS_AT_ONCE = 1
    client.force_login(trainee)
    with slot_hold("upload-check", at_most=1, seconds=60, busy="taken"):
        error = _file_error(_upload(client, "cohort.csv", GOOD_CSV, action="import"))
    assert error == "Other uploads are being checked right now; try again in a minute."
    assert CaseProfile.objects.count() == 0
    response = _upload(client, "cohort.csv", GOOD_CSV, action="import")  # the slot is free
    assert response.status_code == 302 and CaseProfile.objects.count() == 1


def test_the_upload_time_budget_ends_before_the_workers_timeout(settings):
    import runpy
    from pathlib import Path

    gunicorn = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    # Forking, sending the table back and answering take well under 5 s of the rest.
    assert gunicorn["timeout"] >= settings.UPLOAD_PARSE_SECONDS + 5
