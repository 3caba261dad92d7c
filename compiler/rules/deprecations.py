"""D: what the targeted API version (`api vNN.N`) deprecates or no longer has."""

from __future__ import annotations

from collections.abc import Iterator

from ..bodies.model import Document
from ..bodies.queries import get, welcome
from ..facts import clock
from ..facts.deprecations import DEPRECATIONS, MARKETING_MESSAGES_RETIRED, deprecated
from ..facts.sources import changelog
from ..facts.versions import VERSIONS, expired, version_tuple
from ..findings.diagnostics import Diagnostic, Fix
from ..findings.suggest import delete_line, replace
from ..front.source import Span
from .base import ERROR, WARNING, advice, report, rule


@rule("D001", "lead-forms-via-api", WARNING,
      "(v24+) creating Messenger lead forms through the API is deprecated (once per file)")
def D001(document: Document) -> Iterator[Diagnostic]:
    """From v24.0 Meta deprecates creating Messenger Ads for Leads through the
    API; Ads Manager still can (v24.0 changelog). A lead form posted here may
    stop working. Reported once per file, at its first lead form: build the
    form in Ads Manager and use it by its id, or keep the file and accept the
    risk with `# adflow: ignore-file[D001]`.

    Bad (objects):
        api v25.0
        page acme 111222333444
        lead_form quote on acme {
          template_name "Quote"
          privacy_url "https://acme.example/privacy"
          reminder "Still there?"
          intro "Hi!" -> thanks
          confirmation thanks "Thanks!"
        }

    Good (objects):
        api v25.0
        page acme 111222333444
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
          welcome lead_form 1234567890
        }
    """
    if not deprecated("lead_forms_via_api", document.api_version):
        return
    forms = list(document.of_kind("lead_form"))
    if forms:
        more = f" ({len(forms)} lead forms in this file)" if len(forms) > 1 else ""
        yield report(D001, forms[0], "", f"{document.api_version}: "
                     + DEPRECATIONS["lead_forms_via_api"].what + more,
                     help=advice(document, dsl="create the form in Ads Manager and use its id "
                                 "(welcome lead_form 1234567890), or accept the risk: "
                                 "# adflow: ignore-file[D001]",
                                 json="create the form in Ads Manager and use its id "
                                 '("ctm_lead_gen_template_id": "FORM_ID" in the creative\'s '
                                 '"page_welcome_message"), or accept the risk: ignore D001 for '
                                 "the file in adflow.toml's per-file-ignores"))


@rule("D002", "standard-enhancements", ERROR,
      "(v22+) the standard-enhancements bundle, which Meta refuses on create",
      evidence=("Graph API error 100/3858504: standard_enhancements is refused when a creative "
                "is created", "Graph API v22.0 changelog: the standard-enhancements bundle is "
                "deprecated " + changelog("v22.0")))
def D002(document: Document) -> Iterator[Diagnostic]:
    """Meta's Click-to-Messenger guide has lead-ad creatives opt in to
    standard_enhancements; the bundle is deprecated since v22.0, and Meta
    refuses a creative that carries it (error 100, subcode 3858504; 3858082
    for its enroll_status): opt in to each creative feature instead.

    Bad (objects on acme):
        creative image {
          page acme
          image hash "abc123"
          standard_enhancements OPT_IN
        }

    Good (objects on acme):
        creative image {
          page acme
          image hash "abc123"
        }
    """
    if not deprecated("standard_enhancements", document.api_version):
        return
    ptr = "/degrees_of_freedom_spec/creative_features_spec/standard_enhancements"
    for creative in document.of_kind("creative"):
        if get(creative.view, "degrees_of_freedom_spec", "creative_features_spec",
               "standard_enhancements") is not None:
            yield report(D002, creative, ptr, DEPRECATIONS["standard_enhancements"][1],
                         fix=delete_line(document.source,
                                         creative.span_at(ptr + "/enroll_status"),
                                         "standard_enhancements",
                                         "remove standard_enhancements"))


@rule("D003", "notification-messages", WARNING,
      "Click-to-Subscribe relies on notification messages, retired Feb 2026")
def D003(document: Document) -> Iterator[Diagnostic]:
    """Messenger's marketing (notification) messages, which Click-to-Subscribe
    ads sign people up for, were announced discontinued on 10 Feb 2026
    (whether ads still accept them is uncertain).

    Bad (objects):
        page acme 111222333444
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
          welcome subscribe "We would love to send you offers." {
            title "Spring deals" app 123456789 button "Get messages" payload "SUB"
          }
        }

    Good (objects):
        page acme 111222333444
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
          welcome text "Hi {{user_first_name}}! Ask us about our offers."
        }
    """
    for creative in document.of_kind("creative"):
        found = welcome(creative)
        if found and get(found[1], "landing_screen_type") == "marketing_messages":
            yield report(D003, creative, found[0],
                         "Click-to-Subscribe relies on Messenger marketing messages, which Meta "
                         f"announced discontinued on {clock.spoken(MARKETING_MESSAGES_RETIRED)} "
                         "(whether ads still take them is uncertain)")


@rule("D004", "api-version", WARNING, "an API version that is unknown or past its expiry date")
def D004(document: Document) -> Iterator[Diagnostic]:
    """adflow knows the Graph API versions it was built for; requests to an
    unknown or expired version fail or fall back to another version. Expiry
    is judged against today (UTC), or the day SOURCE_DATE_EPOCH names, so CI
    can pin it.

    Bad (objects):
        api v19.0

    Good (objects):
        api v25.0
    """
    if document.api_span is None:
        return
    version = VERSIONS.get(document.api_version)
    if version is None:
        known = ", ".join(VERSIONS)
        yield D004.diag(document.api_span, f"unknown API version {document.api_version}",
                        help=f"known: {known}")
        return
    today = clock.today_iso()
    if expired(version.name, today):
        released = [v.name for v in VERSIONS.values() if v.released <= today]
        newest = max(released, key=version_tuple)
        yield D004.diag(document.api_span,
                        f"{version.name} expired on {clock.spoken(version.expires or today)}",
                        help=f"newest released: {newest} "
                             "(SOURCE_DATE_EPOCH sets the day adflow compares with)",
                        fix=_new_version(document, newest))


def _new_version(document: Document, newest: str) -> Fix | None:
    """Unsafe: other rules judge by the version (a v24+ campaign must say
    whether its ad sets share budget), so the fix is verified like any other."""
    span = document.api_span
    if span is None or span.line != span.end_line or document.from_json:
        return None
    old = document.api_version
    at = Span(span.file, span.line, span.end_column - len(old), span.line, span.end_column)
    return replace(document.source, at, old, newest, safe=False)


RULES = [D001, D002, D003, D004]
