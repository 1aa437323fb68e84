"""Every API operation's name, tag, summary and description, declared once.

Operation ids are what generated clients call (`cases_list`, `evaluation_get`, ...), so they
are stable: a test (tests/e2e/test_api_contract.py) fails when one changes without a line
in the API changelog (docs/api-changelog.md). core.schema.AutoSchema applies this table; an
operation missing from it fails the same test.
"""

from typing import NamedTuple


class Operation(NamedTuple):
    id: str
    tag: str
    summary: str
    description: str


VERSION_RULE = (
    " Send back the `version` you read: if someone changed the record meanwhile, the answer "
    "is 409 with `current_version`, and nothing is changed."
)
PROFILE_RULE = (
    " The body is a case profile as the contract defines it (spec/case-profile.md): unknown "
    "and derived fields are refused, and free text that looks like an identifier is refused, "
    "not cleaned. A 400 names each offending field in `errors`."
)
PROPOSE_FIRST = (
    " While an open board session holds the case and you have not proposed for it yet, the "
    "answer is 403 with a message pointing to the session."
)

TAGS = [
    {"name": "auth", "description": "API tokens."},
    {"name": "cases", "description": "Stored, de-identified case profiles."},
    {"name": "evaluations", "description": "Suggestions for a profile or a stored case."},
    {"name": "snapshots", "description": "Stored evaluations of a case and what changed since."},
    {"name": "fhir", "description": "Reading profile facts from FHIR R4 resources."},
    {"name": "markers", "description": "The marker catalogue and each marker's scale."},
    {"name": "knowledge-base", "description": "Mechanisms, strategies and references."},
    {"name": "rules", "description": "The rules curators keep."},
    {"name": "revisions", "description": "Changes awaiting a second curator before a release."},
    {"name": "cds-hooks", "description": "HL7 CDS Hooks 2.0 service for EHRs."},
    {
        "name": "teaching",
        "description": "Board sessions in training: options, the board's decision, mappings, "
        "outcomes, summaries and progress.",
    },
]

OPERATIONS: dict[str, Operation] = {
    "POST /api/v1/token/": Operation(
        "token_create",
        "auth",
        "Get an API token",
        "Exchange a username and password for a new API token (a user keeps the newest ten); "
        "send it as `Authorization: Token <key>`. It expires when idle, at the end of its "
        "lifetime, and on a password change. Repeated failures lock the account for a while "
        "(429).",
    ),
    "GET /api/v1/cases/": Operation(
        "cases_list",
        "cases",
        "List cases",
        "Stored case profiles, newest first, filtered by any of the query parameters.",
    ),
    "POST /api/v1/cases/": Operation(
        "cases_create",
        "cases",
        "Store a case",
        "Store a de-identified case profile; the answer carries its code and `version`."
        + PROFILE_RULE,
    ),
    "GET /api/v1/cases/{code}/": Operation(
        "cases_get", "cases", "Read a case", "One stored case profile, with its `version`."
    ),
    "PUT /api/v1/cases/{code}/": Operation(
        "cases_update",
        "cases",
        "Replace a case",
        "Replace every field of your own case." + VERSION_RULE + PROFILE_RULE,
    ),
    "PATCH /api/v1/cases/{code}/": Operation(
        "cases_partial_update",
        "cases",
        "Change some fields of a case",
        "Change the fields sent, keep the others; HER2 status is derived again."
        + VERSION_RULE
        + PROFILE_RULE,
    ),
    "DELETE /api/v1/cases/{code}/": Operation(
        "cases_delete", "cases", "Delete a case", "Delete your own case; its history is kept."
    ),
    "GET /api/v1/cases/{code}/evaluation/": Operation(
        "evaluation_get",
        "evaluations",
        "Evaluate a stored case",
        "The case's current evaluation against the published knowledge base." + PROPOSE_FIRST,
    ),
    "POST /api/v1/evaluate/": Operation(
        "evaluation_of_profile",
        "evaluations",
        "Evaluate a profile",
        "Evaluate a posted profile against the published knowledge base; nothing is stored."
        + PROFILE_RULE,
    ),
    "GET /api/v1/cases/{code}/evaluations/": Operation(
        "snapshots_list",
        "snapshots",
        "List a case's snapshots",
        "Stored evaluations of the case, each pinned to its knowledge-base release."
        + PROPOSE_FIRST,
    ),
    "POST /api/v1/cases/{code}/evaluations/": Operation(
        "snapshots_create",
        "snapshots",
        "Take a snapshot",
        "Store the case's evaluation as it is now; takes no body." + PROPOSE_FIRST,
    ),
    "GET /api/v1/cases/{code}/evaluations/{id}/changes/": Operation(
        "snapshots_changes",
        "snapshots",
        "What changed since a snapshot",
        "Suggestions added, removed and changed between the snapshot and the current "
        "evaluation, and whether the knowledge base changed." + PROPOSE_FIRST,
    ),
    "POST /api/v1/fhir/profile/": Operation(
        "fhir_profile_read",
        "fhir",
        "Read a profile from FHIR resources",
        "Read contract facts from a FHIR R4 Bundle (or a list of resources), from codes "
        "only; says where each fact came from and which resources were ignored and why.",
    ),
    "GET /api/v1/markers/": Operation(
        "markers_list", "markers", "List markers", "The marker catalogue with each scale."
    ),
    "GET /api/v1/markers/{code}/": Operation(
        "markers_get", "markers", "Read a marker", "One marker and the values it accepts."
    ),
    "GET /api/v1/releases/": Operation(
        "releases_list",
        "knowledge-base",
        "List knowledge-base releases",
        "Every published release, newest first, with its changelog: what users' evaluations "
        "use is the newest one (each evaluation names it in `knowledge_base_release`).",
    ),
    "GET /api/v1/releases/{name}/": Operation(
        "releases_get",
        "knowledge-base",
        "Read a knowledge-base release",
        "One release by its name (e.g. 2026.2), with its changelog.",
    ),
    "GET /api/v1/mechanisms/": Operation(
        "mechanisms_list",
        "knowledge-base",
        "List mechanisms",
        "Resistance mechanisms, in the order of the review.",
    ),
    "GET /api/v1/mechanisms/{slug}/": Operation(
        "mechanisms_get", "knowledge-base", "Read a mechanism", "One resistance mechanism."
    ),
    "GET /api/v1/strategies/": Operation(
        "strategies_list",
        "knowledge-base",
        "List strategies",
        "Strategies for overcoming trastuzumab resistance named by the review.",
    ),
    "GET /api/v1/strategies/{slug}/": Operation(
        "strategies_get", "knowledge-base", "Read a strategy", "One strategy."
    ),
    "GET /api/v1/references/": Operation(
        "references_list",
        "knowledge-base",
        "List references",
        "The review's bibliography, with DOI and PMID where a source was seen, and "
        "retractions flagged.",
    ),
    "GET /api/v1/references/{key}/": Operation(
        "references_get", "knowledge-base", "Read a reference", "One reference."
    ),
    "GET /api/v1/rules/": Operation(
        "rules_list",
        "rules",
        "List rules",
        "Published rules; curators also see drafts and retired rules.",
    ),
    "POST /api/v1/rules/": Operation(
        "rules_create",
        "rules",
        "Add a rule",
        "Curators only. The condition is checked as in the admin; `change_reason` is required "
        "and goes to the reviewer and the changelog.",
    ),
    "GET /api/v1/rules/{slug}/": Operation(
        "rules_get", "rules", "Read a rule", "One rule, with its `version`."
    ),
    "PUT /api/v1/rules/{slug}/": Operation(
        "rules_update",
        "rules",
        "Replace a rule",
        "Curators only; `change_reason` is required." + VERSION_RULE,
    ),
    "PATCH /api/v1/rules/{slug}/": Operation(
        "rules_partial_update",
        "rules",
        "Change some fields of a rule",
        "Curators only; `change_reason` is required." + VERSION_RULE,
    ),
    "DELETE /api/v1/rules/{slug}/": Operation(
        "rules_delete",
        "rules",
        "Delete a rule",
        "Curators only. Users keep seeing the latest release until the next one.",
    ),
    "GET /api/v1/revisions/": Operation(
        "revisions_list",
        "revisions",
        "List changes awaiting review",
        "Every change of the working copy since the latest release, with its authors, "
        "reasons, diff and approval. Curators only.",
    ),
    "POST /api/v1/revisions/{section}/{key}/approve/": Operation(
        "revisions_approve",
        "revisions",
        "Approve a change",
        "A curator who did not make the change approves it as it now stands.",
    ),
    "POST /api/v1/revisions/{section}/{key}/reject/": Operation(
        "revisions_reject",
        "revisions",
        "Reject a change",
        "Reject with a reason; the released version returns to the working copy.",
    ),
    "GET /cds-services": Operation(
        "cds_discovery",
        "cds-hooks",
        "CDS Hooks discovery",
        "The services this server offers, with their prefetch templates.",
    ),
    "POST /cds-services/her2-trastuzumab-resistance": Operation(
        "cds_patient_view",
        "cds-hooks",
        "Call the service (patient-view)",
        "Cards for a patient-view hook. Facts come from `context.profile`, a stored "
        "`context.caseCode`, or the prefetched FHIR resources; 412 names what is missing.",
    ),
    "POST /cds-services/her2-trastuzumab-resistance/feedback": Operation(
        "cds_feedback",
        "cds-hooks",
        "Feedback on cards",
        "Record whether cards were accepted or overridden, and why; 404 for a card this "
        "service never issued.",
    ),
    "GET /api/v1/options/": Operation(
        "options_list",
        "teaching",
        "List the options",
        "Every option a trainee, an educator or the engine can name, each with its id. The "
        "same treatment from two lists has one id (T-DXd from the strategies or the standard "
        "of care); `in_review` says whether the review itself mentions it.",
    ),
    "GET /api/v1/sessions/{id}/cases/{code}/decision/": Operation(
        "decision_get",
        "teaching",
        "Read the board's decision",
        "The board's decision for a session case, once proposals are locked; 404 before.",
    ),
    "PUT /api/v1/sessions/{id}/cases/{code}/decision/": Operation(
        "decision_update",
        "teaching",
        "Record the board's decision",
        "Up to three ranked options, each with the board's evidence grade and rationale, or "
        "no recommendation with a coded reason. Only the session's educator, after proposals "
        "lock. Every version is kept." + VERSION_RULE,
    ),
    "POST /api/v1/sessions/{id}/cases/{code}/mappings/": Operation(
        "mapping_create",
        "teaching",
        "Map an Other answer",
        "Map a trainee's 'Other' answer to an option id, to 'new-idea', or to '' (unmapped); "
        "the scores recompute. Until it is mapped, it counts neither way.",
    ),
    "GET /api/v1/sessions/{id}/summary/": Operation(
        "summary_get",
        "teaching",
        "Read a session's summary",
        "Agreement with the board (the headline) and with the engine, per case and per "
        "trainee, and Fleiss' kappa; for the session's educator.",
    ),
    "GET /api/v1/cases/{code}/outcome/": Operation(
        "outcome_get", "teaching", "Read a case's outcome", "What happened after the board."
    ),
    "PUT /api/v1/cases/{code}/outcome/": Operation(
        "outcome_update",
        "teaching",
        "Record a case's outcome",
        "Implemented or not (with a coded reason), the best RECIST 1.1 response, progression "
        "and follow-up, in whole months since the board: a date anywhere is refused."
        + VERSION_RULE,
    ),
    "GET /api/v1/progress/": Operation(
        "progress_group_get",
        "teaching",
        "Read every trainee's progress",
        "For educators: the group's and each trainee's agreement with the board and the "
        "engine and evidence calibration, session by session, with the mechanisms each "
        "trainee has never chosen as the board did.",
    ),
    "GET /api/v1/trainees/{username}/progress/": Operation(
        "progress_get",
        "teaching",
        "Read a trainee's progress",
        "Per session, oldest first: agreement with the board and the engine, and evidence "
        "calibration. For the trainee, or an educator.",
    ),
}
