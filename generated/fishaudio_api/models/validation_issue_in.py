from typing import Literal

ValidationIssueIn = Literal["body", "cookie", "header", "path", "query"]

VALIDATION_ISSUE_IN_VALUES: set[ValidationIssueIn] = {
    "body",
    "cookie",
    "header",
    "path",
    "query",
}


def check_validation_issue_in(value: str) -> ValidationIssueIn:
    if value in VALIDATION_ISSUE_IN_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {VALIDATION_ISSUE_IN_VALUES!r}")
