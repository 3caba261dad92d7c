"""Graph API errors: which the curl bundle retries, what each code and subcode
means, and what the sandbox answers with (ERROR_HANDLING, ERROR_REFERENCE)."""

from __future__ import annotations

from typing import NamedTuple

# Throttling and transient server errors: back off (jittered, exponential)
# and retry. 4/17/32/613/80000-80014 are rate limits: honour
# X-Business-Use-Case-Usage estimated_time_to_regain_access when present.
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
RETRYABLE_CODES = RATE_LIMIT_CODES | {1, 2, 341, 368}
# Subcodes Meta sends with a throttling answer (whatever its code): too many
# calls to the ad account (2446079), too many ad changes in a short time
# (1487742, Marketing API error reference), and a Business Use Case limit
# (5044001). A run waits and retries, as for the codes above.
THROTTLING_SUBCODES = frozenset({2446079, 1487742, 5044001})
# An unknown error (1) or a service temporarily unavailable (2) may come after
# the request was carried out: a create answered so is never sent blindly again
# (its outcome is unknown); an update, which repeats safely, is retried.
OUTCOME_UNKNOWN_CODES = frozenset({1, 2})
# Invalid parameter, token, permissions: retrying cannot help.
NEVER_RETRY_CODES = frozenset({100, 190, 10, *range(200, 300)})
MUTATIONS_PER_SECOND = 100  # Meta's guidance per app and ad account (RATE_LIMITING)


def should_retry(code: int, is_transient: bool = False) -> bool:
    """Retry on a retryable code or `is_transient: true`; a never-retry code
    wins over is_transient, since repeating a create is never free."""
    if code in NEVER_RETRY_CODES:
        return False
    return code in RETRYABLE_CODES or is_transient


# Meta error subcodes adflow's rules prevent, and their cause (ERROR_REFERENCE; the
# goal one arrives with code 100, the others' codes are not recorded there).
PREVENTED_ERRORS: dict[int, str] = {
    2490408: "optimization goal not valid for the objective",
    1815715: "ON_AD destination with OUTCOME_ENGAGEMENT",
    1885154: "missing promoted object",
    1892075: "lead form without a privacy policy",
    3858082: "standard-enhancements enroll_status",
    1885621: "budget on both the campaign and the ad set",
    1885029: "promoted page differs from the creative's page",
}

# Graph error subcodes for common Click-to-Messenger mistakes, with their
# meaning (ERROR_REFERENCE and the errors integrations quote).
# Printed by the bundle and `adflow explain ERROR.json` next to the line.
ERROR_SUBCODES: dict[int, str] = {
    2490408: "the optimization goal is not available for the campaign's objective",
    1815715: "the destination is not allowed for the objective (e.g. ON_AD under "
             "OUTCOME_ENGAGEMENT)",
    1885154: "the ad set needs a promoted object (promoted_object.page_id)",
    3390001: "the lead form is missing: lead_gen_form_id was dropped from the call to action",
    1885553: "the ad set does not support dynamic creative",
    1892085: "missing field(s): FollowUpActionURL",
    1892075: "either legal_content_id or privacy_policy is required",
    1815573: "the parameter is not supported: Meta does not let this field be edited "
             "(create a new object instead)",
    1815198: "frequency_control_specs cannot be changed after the ad set is created",
    2446079: "rate limit reached: retry with backoff",
    5044001: "rate limit reached: retry with backoff",
}

# RETRYABLE_CODES and NEVER_RETRY_CODES above are what the curl bundle retries
# (emitters/curl.py writes them into it); this names the source of each code
# and the message Meta sends with it, which `adflow sandbox --fail N:CODE`
# answers. `transient`: the page calls it a temporary issue (downtime), so the
# sandbox sets is_transient.
_ERROR_HANDLING = "Graph API guides/error-handling"
_ERROR_REFERENCE = "Marketing API error-reference"
_MARKETING_LIMITS = "Marketing API overview/rate-limiting"
_BUC_LIMITS = "Graph API overview/rate-limiting, Business Use Case limits"


class GraphError(NamedTuple):
    message: str
    transient: bool
    source: str


GRAPH_ERRORS: dict[int, GraphError] = {
    1: GraphError("An unknown error occurred", True, _ERROR_HANDLING),
    2: GraphError("Service temporarily unavailable", True, _ERROR_HANDLING),
    4: GraphError("Application request limit reached", False, _ERROR_HANDLING),
    10: GraphError("Application does not have permission for this action", False,
                   _ERROR_REFERENCE),
    17: GraphError("User request limit reached", False, _ERROR_HANDLING),
    32: GraphError("Page request limit reached", False, _BUC_LIMITS),
    100: GraphError("Invalid parameter", False, _ERROR_REFERENCE),
    104: GraphError("An access token is required to request this resource.", False,
                    _ERROR_HANDLING),
    190: GraphError("Invalid OAuth access token", False, _ERROR_HANDLING),
    341: GraphError("Application limit reached", False, _ERROR_HANDLING),
    368: GraphError("The action attempted has been deemed abusive or is otherwise disallowed",
                    False, _ERROR_HANDLING),
    613: GraphError("There have been too many calls from this ad-account. Please wait a bit "
                    "and try again.", False, _MARKETING_LIMITS),
    **{code: GraphError("There have been too many calls to this ad-account", False, _BUC_LIMITS)
       for code in range(80000, 80015)},
}
