"""A client generated from the schema by openapi-python-client does the whole job, unpatched:
token, create, filtered list, evaluation, snapshot, update with `version`, a typed 409 with
`current_version` on a stale update, and delete."""

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import PASSWORD, contract_example, user_create

# A live server needs committed rows; serialized_rollback restores the migrations' data (groups).
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(scope="module")
def her2_client(tmp_path_factory):
    from drf_spectacular.generators import SchemaGenerator

    folder = tmp_path_factory.mktemp("client")
    schema = folder / "schema.json"
    document = SchemaGenerator().get_schema(request=None, public=True)
    schema.write_text(json.dumps(document, default=str))
    bin_dir = Path(sys.executable).parent
    generated = subprocess.run(
        [
            *(bin_dir / "openapi-python-client", "generate", "--path", schema),
            *("--meta", "none", "--output-path", folder / "her2_client"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(folder)},  # its ruff is ours
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "Warning" not in generated.stdout, generated.stdout
    sys.path.insert(0, str(folder))
    yield importlib.import_module("her2_client")
    sys.path.remove(str(folder))
    for name in [n for n in sys.modules if n == "her2_client" or n.startswith("her2_client.")]:
        del sys.modules[name]


def _operation(name: str):
    """An operation module of the generated client: her2_client.api.<tag>.<operation>."""
    return importlib.import_module(f"her2_client.api.{name}")


def test_a_generated_client_does_the_whole_job(her2_client, live_server):
    import pkgutil

    models = importlib.import_module("her2_client.models")
    api = importlib.import_module("her2_client.api")
    for module in pkgutil.walk_packages(api.__path__, "her2_client.api."):
        importlib.import_module(module.name)  # every operation module imports, unpatched

    user_create("trainee1", "trainee")
    anonymous = her2_client.Client(base_url=live_server.url, raise_on_unexpected_status=True)
    token = _operation("auth.token_create").sync(
        client=anonymous, body=models.CredentialsRequest(username="trainee1", password=PASSWORD)
    )
    assert isinstance(token, models.Token)

    client = her2_client.AuthenticatedClient(
        base_url=live_server.url, token=token.token, prefix="Token", raise_on_unexpected_status=True
    )
    case = _operation("cases.cases_create").sync(
        client=client, body=models.CaseProfileRequest.from_dict(contract_example())
    )
    assert isinstance(case, models.CaseProfile) and case.version == 1

    listing = _operation("cases.cases_list").sync(
        client=client,
        setting=models.CasesListSetting.METASTATIC,
        her2_status=models.CasesListHer2Status.POSITIVE,
    )
    assert [item.code for item in listing.results] == [case.code]

    evaluation = _operation("evaluations.evaluation_get").sync(code=case.code, client=client)
    assert isinstance(evaluation, models.Evaluation)
    assert evaluation.her2_status == models.Her2StatusEnum.POSITIVE
    assert evaluation.recommendations and evaluation.disclaimer

    snapshot = _operation("snapshots.snapshots_create").sync(code=case.code, client=client)
    assert isinstance(snapshot, models.Snapshot) and snapshot.created_by == "trainee1"

    patch = _operation("cases.cases_partial_update")
    updated = patch.sync(
        code=case.code,
        client=client,
        body=models.PatchedCaseProfileUpdateRequest(
            version=case.version, pten=models.PtenEnum.LOST
        ),
    )
    assert isinstance(updated, models.CaseProfile)
    assert updated.version == 2 and updated.pten == models.PtenEnum.LOST

    stale = patch.sync(
        code=case.code,
        client=client,
        body=models.PatchedCaseProfileUpdateRequest(version=1, pten=models.PtenEnum.RETAINED),
    )
    assert isinstance(stale, models.StaleVersionProblem)
    assert stale.status == 409 and stale.current_version == 2

    releases = _operation("knowledge_base.releases_list").sync(client=client)
    names = [release.name for release in releases.results]
    assert names == ["2026.3", "2026.2", "2026.1"]  # made by migrations
    release = _operation("knowledge_base.releases_get").sync(name="2026.3", client=client)
    assert (
        isinstance(release, models.Release) and release.version == evaluation.knowledge_base_version
    )

    deleted = _operation("cases.cases_delete").sync_detailed(code=case.code, client=client)
    assert deleted.status_code == 204
    gone = _operation("cases.cases_get").sync(code=case.code, client=client)
    assert isinstance(gone, models.Problem) and gone.status == 404


def test_a_generated_client_runs_the_teaching_flow(her2_client, live_server):
    """Options, the board's decision, mapping an "Other" answer, an outcome, the session's
    summary and a trainee's progress (issue #31, section 8)."""
    from board.models import BoardSession, ProposalChoice
    from board.training import Option, proposal_submit
    from cases.services import case_create

    models = importlib.import_module("her2_client.models")
    educator, trainee = user_create("educator1", "educator"), user_create("trainee1", "trainee")
    session = BoardSession.objects.create(title="Generated", educator=educator)
    case = case_create(data=contract_example(), user=educator)
    session.sessioncase_set.create(case=case, position=0)
    proposal_submit(session=session, case=case, trainee=trainee, options=[Option(other="enhertu")])
    session.state = "locked"
    session.save()

    def signed_in(username):
        anonymous = her2_client.Client(base_url=live_server.url, raise_on_unexpected_status=True)
        token = _operation("auth.token_create").sync(
            client=anonymous, body=models.CredentialsRequest(username=username, password=PASSWORD)
        )
        return her2_client.AuthenticatedClient(
            base_url=live_server.url, token=token.token, prefix="Token",
            raise_on_unexpected_status=True,
        )  # fmt: skip

    client = signed_in("educator1")
    options = _operation("teaching.options_list").sync(client=client)
    assert {o.choose_as for o in options if o.id == "strategy:t-dxd"} == {
        "strategy:t-dxd", "standard:t-dxd",
    }  # fmt: skip
    decision = _operation("teaching.decision_update").sync(
        id=session.pk,
        code=case.code,
        client=client,
        body=models.DecisionRequest(
            options=[
                models.DecisionOptionRequest(
                    option="strategy:t-dxd",
                    evidence_grade=models.EvidenceLevelEnum.APPROVED_INDICATION,
                )
            ]
        ),
    )
    assert isinstance(decision, models.DecisionOut) and decision.version == 1
    choice = ProposalChoice.objects.get(other="enhertu")
    mapping = _operation("teaching.mapping_create").sync(
        id=session.pk,
        code=case.code,
        client=client,
        body=models.MappingRequest(choice=choice.pk, option="strategy:t-dxd"),
    )
    assert mapping.option == "strategy:t-dxd"
    outcome = _operation("teaching.outcome_update").sync(
        code=case.code,
        client=client,
        body=models.OutcomeRequest(implemented=models.ImplementedEnum.YES, months_followed=12),
    )
    assert isinstance(outcome, models.Outcome) and outcome.months_followed == 12
    summary = _operation("teaching.summary_get").sync(id=session.pk, client=client)
    assert summary.trainees[0].trainee == "trainee1" and summary.trainees[0].board == 1
    progress = _operation("teaching.progress_get").sync(
        username="trainee1", client=signed_in("trainee1")
    )
    assert isinstance(progress, models.Progress) and progress.sessions[0].board == 1


def test_the_guides_round_trip_runs_as_written(her2_client, live_server, capsys, settings):
    settings.DEBUG = True  # the demo login it uses works only in a local DEBUG run
    readme = (Path(__file__).resolve().parents[2] / "docs" / "integrating.md").read_text()
    section = readme[readme.index("### A generated client") :]
    snippet = section[
        section.index("```python\n") + 10 : section.index("```\n", 1 + section.index("```python"))
    ]
    demo = user_create("demo", "trainee")
    demo.set_password("demo-password-not-secret")
    demo.save()
    exec(snippet.replace("http://127.0.0.1:8000", live_server.url), {})  # noqa: S102
    assert capsys.readouterr().out.strip() == "0"  # no stored cases yet


def test_the_guides_snippet_type_checks_against_the_generated_client(her2_client, tmp_path):
    # What a client author's editor and CI would say: mypy over the snippet, as written,
    # with the generated package beside it (its own code's typing is the generator's).
    readme = (Path(__file__).resolve().parents[2] / "docs" / "integrating.md").read_text()
    section = readme[readme.index("### A generated client") :]
    snippet = section[
        section.index("```python\n") + 10 : section.index("```\n", 1 + section.index("```python"))
    ]
    (tmp_path / "snippet.py").write_text(snippet)
    package = Path(her2_client.__file__).resolve().parents[1]
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--follow-imports", "silent",
         "--cache-dir", str(tmp_path / "cache"),
         str(tmp_path / "snippet.py")],
        capture_output=True, text=True, timeout=300,
        env={"MYPYPATH": str(package), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
