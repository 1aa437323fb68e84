"""The `<case_code:code>` path converter: a case's pseudonymous code (TB- and six letters of
cases.services.CODE_ALPHABET), so `cases/<case_code:code>/` never swallows another page
under /cases/ whatever order the URL files are included in."""

from cases.services import CODE_ALPHABET, CODE_LENGTH

CASE_CODE_REGEX = f"TB-[{CODE_ALPHABET}]{{{CODE_LENGTH}}}"


class CaseCodeConverter:
    regex = CASE_CODE_REGEX

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
