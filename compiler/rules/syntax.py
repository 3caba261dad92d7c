"""S: input that cannot be read or parsed. Reported by the front ends."""

from .base import ERROR, emitted

S001 = emitted("S001", "syntax-error", ERROR, "the text does not follow adflow's grammar", """
    The parser expected something else at this point; the message lists what
    it would accept. Each broken statement is reported once and parsing goes
    on with the next line. A block left open is reported at its `{` and
    taken to end before the next object, so the rest of the file is still
    checked; a misspelt keyword gets a suggestion.

    Bad:
        campaign spring {
          objective OUTCOME_LEADS
          special_ad_categories [NONE
        }

    Good:
        campaign spring {
          objective OUTCOME_LEADS
          special_ad_categories [NONE]
        }
    """)

S002 = emitted("S002", "invalid-json", ERROR, "a .json input is not valid JSON", """
    JSON inputs (request bodies, requests, plans) must be strict JSON: no
    trailing commas, no single quotes, no comments. Meta's own examples break
    these rules in places; the Graph API rejects such bodies.

    Bad:
        {"privacy_url": "https://acme.example/privacy",}

    Good:
        {"privacy_url": "https://acme.example/privacy"}
    """)

S003 = emitted("S003", "unreadable-input", ERROR, "the input is not UTF-8 text", """
    adflow reads UTF-8 text. A file with a NUL byte or bytes that are not
    valid UTF-8 (a binary, or a file saved in another encoding) is reported
    at the first bad byte.
    """)

S004 = emitted("S004", "input-too-large", ERROR, "the input is over a configured limit", """
    Limits keep adflow fast and safe in pre-commit hooks: a file over the
    byte limit (5 MB), brackets nested deeper than the limit (64), a lead form
    with more steps than the limit (200) or a file with more objects than the
    limit (2,000) is reported instead of being processed further.
    """)

S005 = emitted("S005", "unknown-json-document", ERROR, "a JSON document adflow does not recognise", """
    A .json input must be a Graph API request body adflow knows (for now a
    Messenger lead form: an object with a `step_list`).

    Bad:
        {"hello": "world"}

    Good:
        {"privacy_url": "https://acme.example/privacy", "template_name": "Quote",
         "reminder_text": "Still there?", "step_list": []}
    """)

S006 = emitted("S006", "unknown-field", ERROR, "a field or argument the block does not know", """
    Each block (campaign, adset, creative, ad, lead_form and their nested
    blocks) knows a fixed set of fields; a misspelt field would otherwise be
    lost. The message suggests the closest known name (a lead form's step
    keywords too), with a fix when one name is clearly meant; the member is
    then read as that one, so what only follows from the typo is not
    reported. Fields the language does not model can be passed with
    `raw NAME <json>`.

    Bad:
        campaign spring {
          objectve OUTCOME_LEADS
        }

    Good:
        campaign spring {
          objective OUTCOME_LEADS
        }
    """)

S007 = emitted("S007", "bad-value", ERROR, "a field's value has the wrong form", """
    A field was given the wrong number or kind of arguments, e.g. a list
    where one value is expected, or a string with an invalid escape.

    Bad:
        campaign spring {
          objective
        }

    Good:
        campaign spring {
          objective OUTCOME_LEADS
        }
    """)

S008 = emitted("S008", "body-shape", ERROR, "a request body of the wrong shape for its endpoint", """
    Every body is checked against adflow's JSON Schema for its endpoint
    (ids as digit strings, money as integers, the welcome message shapes
    ...), by `check` and by every other command alike. Rules catch most
    mistakes with better messages, and where one already reported an error
    at the same place this code stays quiet; it catches the rest, e.g. from
    a `raw` field or a JSON payload.

    Bad:
        account act_1234567890
        page acme 111222333444
        creative image {
          page acme
          image hash "abc123"
          raw object_story_spec false
        }

    Good:
        account act_1234567890
        page acme 111222333444
        creative image {
          page acme
          image hash "abc123"
        }
    """)

RULES = [S001, S002, S003, S004, S005, S006, S007, S008]
