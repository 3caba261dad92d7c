"""S: input that cannot be read or parsed. Documented here, reported by the
front ends that read files (each code's `raised_in` names them), except
S009, a check on what a body's text stands for."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..facts.sources import (
    ADSET_REFERENCE,
    CAMPAIGN_REFERENCE,
    CREATIVE_REFERENCE,
    LEAD_FORMS_REFERENCE,
    SDK_REPOSITORY,
)
from .base import ERROR, emitted, rule

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from ..bodies.model import Document
    from ..findings.diagnostics import Diagnostic
    from ..front.source import Span

S001 = emitted("S001", "syntax-error", ERROR, "the text does not follow adflow's grammar", """
    The parser expected something else at this point; the message lists what
    it would accept. Each broken statement is reported once and parsing goes
    on with the next line. A block left open is reported at its `{` and
    taken to end before the next object, so the rest of the file is still
    checked; a misspelt keyword gets a suggestion.

    Bad (objects):
        campaign spring {
          objective OUTCOME_LEADS
          special_ad_categories [NONE
        }

    Good (objects):
        campaign spring {
          objective OUTCOME_LEADS
          special_ad_categories [NONE]
        }
    """, raised_in=("compiler/front/parser.py",),
    evidence=("adflow language: grammar/adflow.lark",))

S002 = emitted("S002", "invalid-json", ERROR, "a .json input is not valid JSON", """
    JSON inputs (request bodies, requests, plans) must be strict JSON: no
    trailing commas, no single quotes, no comments. Meta's own examples break
    these rules in places; the Graph API rejects such bodies.

    Bad (JSON file):
        {"privacy_url": "https://acme.example/privacy",}

    Good (JSON file):
        {"privacy_url": "https://acme.example/privacy"}
    """, raised_in=("compiler/front/jsonsrc.py",),
    evidence=("https://www.rfc-editor.org/rfc/rfc8259",))

S003 = emitted("S003", "unreadable-input", ERROR, "the input is not UTF-8 text", """
    adflow reads UTF-8 text. A file with a NUL byte or bytes that are not
    valid UTF-8 (a binary, or a file saved in another encoding) is reported
    at the first bad byte.
    """, raised_in=("compiler/front/source.py",),
    evidence=("https://www.rfc-editor.org/rfc/rfc3629",
              "https://www.rfc-editor.org/rfc/rfc8259#section-8.1"))

S004 = emitted("S004", "input-too-large", ERROR, "the input is over a configured limit", """
    Limits keep adflow fast and safe in pre-commit hooks: a file over the
    byte limit (5 MB), brackets nested deeper than the limit (64), a lead form
    with more steps than the limit (200) or a file with more objects than the
    limit (2,000) is reported instead of being processed further.
    """, raised_in=("compiler/front/source.py", "compiler/front/jsonsrc.py",
                    "compiler/pipeline.py"),
    evidence=("adflow language: README.md",))

S005 = emitted("S005", "unknown-json-document", ERROR,
               "a JSON document adflow does not recognise", """
    A .json input must be something adflow can read as Graph API requests:
    a lead form, campaign, ad set, creative or ad body (told apart by its
    keys), a request {method, path, body} or a list of them, a Graph batch
    ({method, relative_url, body} items), a list response ({"data": [...]})
    or a plan. A request to an endpoint adflow does not model (say
    `POST /{page_id}/welcome_message_flows`), or a body only such an
    endpoint takes (`welcome_message_flow`, `ice_breakers` ...), is Meta's to
    judge: it is reported as info, not checked, and left out of the plan.

    Bad (JSON file):
        {"hello": "world"}

    Good (JSON file):
        {"privacy_url": "https://acme.example/privacy", "template_name": "Quote",
         "reminder_text": "Still there?", "step_list": []}
    """, raised_in=("compiler/front/jsonsrc.py",),
    evidence=("adflow language: README.md",))

S006 = emitted("S006", "unknown-field", ERROR, "a field or argument the block does not know", """
    Each block (campaign, adset, creative, ad, lead_form and their nested
    blocks) knows a fixed set of fields; a misspelt field would otherwise be
    lost. The message suggests the closest known name (a lead form's step
    keywords too), with a fix when one name is clearly meant; the member is
    then read as that one, so what only follows from the typo is not
    reported. Fields the language does not model can be passed with
    `raw NAME <json>`.

    Bad (objects):
        campaign spring {
          objectve OUTCOME_LEADS
        }

    Good (objects):
        campaign spring {
          objective OUTCOME_LEADS
        }
    """, raised_in=("compiler/bodies/resolve.py", "compiler/bodies/handlers.py",
                    "compiler/bodies/welcome.py", "compiler/importer/__init__.py"),
    evidence=("adflow language: compiler/bodies/fields.py", SDK_REPOSITORY))

S007 = emitted("S007", "bad-value", ERROR, "a field's value has the wrong form", """
    A field was given the wrong number or kind of arguments, e.g. a list
    where one value is expected, or a string with an invalid escape.

    Bad (objects):
        campaign spring {
          objective
        }

    Good (objects):
        campaign spring {
          objective OUTCOME_LEADS
        }
    """, raised_in=("compiler/front/lower.py", "compiler/front/jsonsrc.py",
                    "compiler/bodies/readers.py", "compiler/bodies/resolve.py",
                    "compiler/bodies/handlers.py", "compiler/bodies/welcome.py",
                    "compiler/bodies/markets.py"),
    evidence=("adflow language: compiler/bodies/fields.py", SDK_REPOSITORY))

S008 = emitted("S008", "body-shape", ERROR,
               "a request body of the wrong shape for its endpoint", """
    Every body is checked against adflow's JSON Schema for its endpoint
    (ids as digits, as text or a whole number; money as whole numbers or their digits as text,
    the welcome message shapes ...), by `check` and by every other command
    alike; an ad's inline creative against the creative's. Rules catch most
    mistakes with better messages, and where one already reported an error
    in the same request this code stays quiet; it catches the rest, e.g.
    from a `raw` field or a JSON payload. Each value that breaks the schema
    gets one finding, named by its path (`link_data.call_to_action.value`).

    An open world: a member adflow does not know is a warning when it is
    close to a known name (did you mean ...?), otherwise info that it was
    not checked; a welcome message of a shape adflow does not model is not
    checked either. Only what the schema knows can be an error.

    Bad (file):
        account act_1234567890
        page acme 111222333444
        creative image {
          page acme
          image hash "abc123"
          raw object_story_spec false
        }

    Good (file):
        account act_1234567890
        page acme 111222333444
        creative image {
          page acme
          image hash "abc123"
        }
    """, raised_in=("compiler/facts/endpoints/__init__.py",),
    evidence=(SDK_REPOSITORY, CAMPAIGN_REFERENCE, ADSET_REFERENCE,
              CREATIVE_REFERENCE, LEAD_FORMS_REFERENCE))


@rule("S009", "not-json-text", ERROR, "text where Meta expects JSON that is not JSON "
      "(e.g. a Python dict written with str())",
      evidence=("https://www.rfc-editor.org/rfc/rfc8259", SDK_REPOSITORY))
def S009(document: Document) -> Iterator[Diagnostic]:
    """Objects and lists travel as JSON text (the SDK's wire format, and
    page_welcome_message's type). Text in their place that is not JSON,
    most often a Python dict or list written with str() or repr() (single
    quotes, True, None), is refused by Meta. adflow reads what it meant, so
    the other checks still run, and reports where it was written.

    Bad (JSON file):
        {"name": "Spring", "object_story_spec": {"page_id": "111222333444",
         "link_data": {"image_hash": "abc123", "link": "https://acme.example/"}},
         "degrees_of_freedom_spec": {"creative_features_spec":
           "{'standard_enhancements': {'enroll_status': 'OPT_OUT'}}"}}

    Good (JSON file):
        {"name": "Spring", "object_story_spec": {"page_id": "111222333444",
         "link_data": {"image_hash": "abc123", "link": "https://acme.example/"}},
         "degrees_of_freedom_spec": {"creative_features_spec":
           {"standard_enhancements": {"enroll_status": "OPT_OUT"}}}}
    """
    for request in document.requests:
        for ptr, text in request.normalised.not_json:
            python = "'" in text or "True" in text or "None" in text or "False" in text
            span = _first_python_mark(document, request.span_at(ptr))
            yield S009.diag(span, "this text stands for an object but is not JSON"
                            + (" (it looks like a Python repr)" if python else ""),
                            name=request.place(ptr),
                            help="write JSON: double quotes, true/false/null; json.dumps() "
                                 "rather than str()")


_PYTHON_MARK = re.compile(r"'|\b(?:True|False|None)\b")


def _first_python_mark(document: Document, span: Span) -> Span:
    """Where in the written string Python shows first (a single quote, True,
    False, None), so the finding points inside the text; else the string."""
    source = document.source
    if source is None or span.line != span.end_line:
        return span
    start = source.offset(span.line, span.column)
    written = source.text[start:source.offset(span.end_line, span.end_column)]
    found = _PYTHON_MARK.search(written)
    if found is None:
        return span
    return source.span(start + found.start(), start + found.end())


RULES = [S001, S002, S003, S004, S005, S006, S007, S008, S009]
