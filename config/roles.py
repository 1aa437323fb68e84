"""Who may do what: each group's model permissions, the only declaration of them.

Every `migrate` (and every flush in the tests) makes the groups hold exactly these
permissions (core.roles.roles_sync, reading this table through settings.ROLES), so a
permission given by hand in the admin is taken away again: change this table instead.
It lives in the project layer because it names every app's permissions.

| group | may |
|---|---|
| trainee | keep their own cases, read everyone's, evaluate, take snapshots, propose in sessions |
| educator | what a trainee may, and run board sessions (the board's decisions, outcomes) |
| curator | what a trainee may, write the knowledge base, run sessions, read CDS feedback |
"""

from core.roles import CURATOR, EDUCATOR, TRAINEE


def _crud(app_label: str, *models: str) -> set[str]:
    actions = ("add", "change", "delete", "view")
    return {f"{app_label}.{action}_{m}" for m in models for action in actions}


CASE_WORK = _crud("cases", "caseprofile") | {
    "cases.view_marker",
    "board.add_evaluationsnapshot",
    "board.view_evaluationsnapshot",
}
SESSION_RUNNING = {"board.add_boardsession", "board.change_boardsession"} | _crud(
    "board", "boarddecision", "caseoutcome"
)
KNOWLEDGE_BASE_WRITING = _crud("rules", "rule", "strategy", "mechanism", "reference") | {
    "rules.add_release",
    "rules.view_release",
}
FEEDBACK_READING = {"board.view_cdsfeedback", "board.view_evaluationsnapshot", "board.view_cdscard"}

ROLES: dict[str, frozenset[str]] = {
    TRAINEE: frozenset(CASE_WORK),
    EDUCATOR: frozenset(CASE_WORK | SESSION_RUNNING),
    CURATOR: frozenset(CASE_WORK | SESSION_RUNNING | KNOWLEDGE_BASE_WRITING | FEEDBACK_READING),
}
