"""docs/reference.md: every member of every block of the language, one page.

The tables come from compiler/bodies/fields.py (each row's word, value kind,
default, body field and help), so a field added there shows up here when the
page is written again; members that need more than a value (lead-form steps,
media, welcome messages and their `=>` pairs) are described below, in words
taken from the same constants. tests/test_reference.py fails when the page
is stale and checks the examples against the language.

Write it with: python -m adflow.compiler.tools.reference -o docs/reference.md
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..bodies import fields
from ..bodies.fields import (
    BLOCK,
    CUSTOM,
    ID,
    IDENTIFIER,
    LIST,
    NO_DEFAULT,
    REF,
    STEP_MODIFIERS,
    STEP_TYPES,
    STRING,
    SUBSCRIBE_BUTTON,
    SUBSCRIBE_ELEMENT,
    WELCOME_FORMS,
    Field,
)
from ..facts import facts

# The lines every example below assumes at the top of its file.
PREAMBLE = "account act_1234567890\npage acme 111222333444\n"
# More words than this are summed up, not listed (countries); an objective,
# goal or destination a newcomer looks for must be on the page.
_SHOWN_VALUES = 40


def _values(row: Field) -> str:
    words = sorted(row.values)
    if not words or row.kind == CUSTOM or row.values == fields.BOOLEAN:
        return ""
    if len(words) <= _SHOWN_VALUES:
        return ", ".join(f"`{w}`" for w in words)
    return f"one of {len(words)}, e.g. " + ", ".join(f"`{w}`" for w in words[:4])


def _takes(row: Field) -> str:
    if row.kind == STRING:
        return '`"text"`'
    if row.kind == LIST:
        return "`[A, B]` (or one value)"
    if row.kind == ID:
        return "an id (digits)"
    if row.kind == REF or (row.kind == CUSTOM and row.refs):
        return " or ".join(f"{_a(kind)} `{kind}` name" for kind in row.refs) + ", or an id"
    if row.head in fields.MEDIA_TEXTS:
        return '`"text"`'

    if row.kind == BLOCK:
        return "`{ ... }` (below)"
    if row.kind == CUSTOM:
        return "see below"
    if row.values == fields.BOOLEAN:
        return "`true` or `false`"
    return "a word" if row.values else "a number"


def _a(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _default(row: Field) -> str:
    if row.default is NO_DEFAULT:
        return ""
    if row.default is IDENTIFIER:
        return "its name in the file"
    return f"`{row.default}`"


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def table(rows: dict[str, Field]) -> list[str]:
    out = ["| member | takes | words | default | Graph API field | what it is |",
           "|---|---|---|---|---|---|"]
    for row in rows.values():
        out.append("| " + " | ".join(_cell(c) for c in (
            f"`{row.head}`", _takes(row), _values(row), _default(row),
            f"`{row.path}`" if row.path else "", row.help)) + " |")
    return out


def _example(text: str) -> list[str]:
    return ["```adflow", text.rstrip("\n"), "```", ""]


def _words(items: Any) -> str:
    return ", ".join(f"`{w}`" for w in items)


TOKENS = ", ".join("`{{" + t + "}}`" for t in sorted(facts.PERSONALIZATION_TOKENS))


def _lead_form_steps() -> list[str]:
    intro, question, confirmation, disqualify = STEP_TYPES
    required, optional, validate, prefill = STEP_MODIFIERS
    return [
        "### Steps", "",
        f"After its members, a lead form lists its steps in the order the person meets "
        f"them: `{intro}`, `{question}`, `{confirmation}` and `{disqualify}` (step_type "
        f"{', '.join(STEP_TYPES.values())}). adflow numbers them (`step_id` 0, 1, ...) in "
        "the order written.", "",
        f"- `{intro} \"text\" -> NAME`: the first message; it asks nothing.",
        f"- `{question} NAME \"text\" [{required}|{optional}] [{prefill} TYPE] [{validate}] "
        "-> NAME`: a question answered in the person's own words; with `prefill` "
        f"({_words(sorted(facts.LEAD_FORM_PREFILL_TYPES))}) Messenger offers what it knows "
        f"(reply_type PREFILL), and `{validate}` has Meta check the answer's form.",
        f"- `{question} NAME \"text\" {{ \"answer\" -> NAME ... }}`: quick-reply answers, "
        "one a line, each with its own next step (reply_type QUICK_REPLIES); or one "
        "`-> NAME` after the block for all of them. Messenger shows only the first "
        f"{facts.QUICK_REPLY_TITLE.value} characters of an answer (F022).",
        f"- `{confirmation} NAME \"text\"`: the end where the lead is sent; "
        f"`{disqualify} NAME \"text\"`: the end for people the form is not for.", "",
        f"`{required}` (allow_to_skip false) and `{optional}` (true) are one choice: a "
        "question takes one of them, not both (F023). `-> NAME` names a step written "
        f"later: a form never jumps back (F003). In any text, {TOKENS} stand for the "
        "person's and the Page's names (Meta documents them for welcome messages; F021 "
        "reports any other `{{...}}`).", "",
        *_example('lead_form quote on acme {\n'
                  '  template_name "Quote request"\n'
                  '  privacy_url "https://acme.example/privacy"\n'
                  '  reminder "Still there?"\n'
                  '  intro "Hi {{user_first_name}}!" -> interest\n'
                  '  question interest "Interested?" required {\n'
                  '    "Yes"     -> email\n'
                  '    "Not now" -> sorry\n'
                  '  }\n'
                  '  question email "Your email?" prefill EMAIL validate -> thanks\n'
                  '  confirmation thanks "Thanks! We\'ll be in touch."\n'
                  '  disqualify sorry "No problem."\n'
                  '}\n'),
    ]


def _media() -> list[str]:
    hash_, url, link = fields.IMAGE_OPTIONS
    thumbnail = next(iter(fields.VIDEO_OPTIONS))
    return [
        "### Media and the button", "",
        f"- `image {hash_} \"H\"` (an uploaded image's hash) or `image {url} \"https://...\"`, "
        f"then optionally `{link} \"https://...\"` on the same line: an image ad "
        "(object_story_spec.link_data). `image` takes these `name value` pairs, not a bare "
        f"value: {_words(fields.IMAGE_OPTIONS)}.",
        f"- `video ID [{thumbnail} \"https://...\"]`: a video ad (video_data); also "
        f"{_words(list(fields.VIDEO_OPTIONS)[1:])}.",
        "- `call_to_action TYPE -> MESSENGER`: the button, and the app the conversation "
        f"opens in ({_words(sorted(facts.APP_DESTINATIONS))}; the ad set's `destination` "
        "says the same). TYPE is one of Meta's call-to-action types: for messaging ads "
        f"{_words(sorted(set().union(*facts.USUAL_CTA_FOR.values())))} (the table above).",
        "- `post \"PAGEID_POSTID\"` instead of media: the ad is an existing Page post.", "",
    ]


def _welcome() -> list[str]:
    (text, ice, subscribe, call_prompt, templates, lead_form, partner,
     autofill, wa_flow, wa_call) = WELCOME_FORMS
    return [
        "### Welcome messages", "",
        "`welcome FORM ...` in a creative is what the person gets in Messenger after the "
        f"click. The forms: {_words(WELCOME_FORMS)}. `adflow simulate` and `adflow paths` "
        "play them.", "",
        "`\"left\" => \"right\"` pairs the two texts of one item: in ice breakers the "
        "question the person taps `=>` the answer the Page sends back, in quick replies "
        "the button's title `=>` the payload your webhook gets. `->` is different: it "
        "points to a step or a destination.", "",
        f"- `welcome {text} \"Hi {{{{user_first_name}}}}!\"`: a greeting "
        f"(up to {facts.WELCOME_TEXT.value} characters).",
        f"- `welcome {ice} \"greeting\" {{ \"question\" => \"answer\" ... }}`: ice breakers, "
        f"questions the person can tap (title up to {facts.ICE_BREAKER_TITLE.value} "
        f"characters, answer up to {facts.ICE_BREAKER_RESPONSE.value}).",
        f"- `welcome {templates} {{ message \"text\" [quick_replies {{ \"title\" => "
        "\"PAYLOAD\" ... }] ... }`: a series of messages "
        f"(up to {facts.TEMPLATES_MAX.value}), each with up to "
        f"{facts.QUICK_REPLIES_MAX.value} quick replies.",
        f"- `welcome {call_prompt} \"text\" prompt \"call prompt\"`: a greeting with a "
        "button to call the Page.",
        f"- `welcome {subscribe} \"text\" {{ ... }}`: Click-to-Subscribe; the block takes "
        f"{_words([*SUBSCRIBE_ELEMENT, *SUBSCRIBE_BUTTON])}.",
        f"- `welcome {lead_form} NAME`: a Messenger lead form of the file opens the chat.",
        f"- `welcome {partner} \"FLOW-ID\"`: a partner app's welcome flow.",
        "- In a Click-to-WhatsApp creative: "
        f"`welcome {autofill} \"greeting\" prefill \"message\" "
        f"[button {'|'.join(fields.WHATSAPP_GREETING_BUTTONS)} \"...\"]` (the message "
        "typed for the person), "
        f"`welcome {wa_flow} \"greeting\" flow \"FLOW-ID\" button \"title\" "
        "prefill \"message\"` (a WhatsApp Flow) and "
        f"`welcome {wa_call} \"greeting\" prompt \"call prompt\"` (a call button).", "",
        *_example('creative ice_breakers {\n'
                  '  page acme\n'
                  '  image hash "9f1c2e" link "https://acme.example/spring.jpg"\n'
                  '  call_to_action MESSAGE_PAGE -> MESSENGER\n'
                  '  welcome ice_breakers "Hi {{user_first_name}}! How can we help?" {\n'
                  '    "Can I see a menu?" => "Repairs, installs and inspections."\n'
                  '    "Where are you?" => "12 Main St, Springfield."\n'
                  '  }\n'
                  '}\n'),
        *_example('creative series {\n'
                  '  page acme\n'
                  '  image url "https://acme.example/spring.jpg"\n'
                  '  call_to_action MESSAGE_PAGE -> MESSENGER\n'
                  '  welcome templates {\n'
                  '    message "Which service do you need?" quick_replies {\n'
                  '      "Repair" => "SERVICE_REPAIR"\n'
                  '      "Install" => "SERVICE_INSTALL"\n'
                  '    }\n'
                  '    message "We answer within minutes."\n'
                  '  }\n'
                  '}\n'),
    ]


# The messaging ads, by the destination their ad set names.
_MESSAGING_ADS = (("Click-to-Messenger (and a Messenger lead form)", "MESSENGER"),
                  ("Click-to-Instagram Direct", "INSTAGRAM_DIRECT"),
                  ("Click-to-WhatsApp", "WHATSAPP"))


def _combinations() -> list[str]:
    """Which objective, goal and button go with each messaging destination:
    the certain rows of the goal table rule A002 judges by (compiler/facts/facts.py)."""
    out = ["## Which objective, goal, destination and button", "",
           "What goes together in a messaging ad: the campaign's `objective`, the ad "
           "set's `destination` and `optimization_goal`, and the creative's "
           "`call_to_action TYPE -> APP`. For Messenger and Instagram Direct, a "
           "combination outside this table is reported (A002).", "",
           "| the ad | `destination` | `objective` | `optimization_goal` | `call_to_action` |",
           "|---|---|---|---|---|"]
    for title, destination in _MESSAGING_ADS:
        app = facts.APP_DESTINATION_FOR[destination]
        buttons = ", ".join(f"`{b}` (it opens {app} by itself)" if b in facts.CTA_WITHOUT_VALUE
                            else f"`{b} -> {app}`" for b in sorted(facts.USUAL_CTA_FOR[app]))
        goals: dict[str, set[str]] = {}
        for row in facts.GOAL_TABLE:
            if row.destination == destination and row.certain:
                goals.setdefault(row.objective, set()).update(row.goals)
        if not goals:
            out.append(f"| {title} | `{destination}` | `OUTCOME_ENGAGEMENT`, as "
                       "`samples/click_to_whatsapp.adflow` (adflow does not judge this "
                       f"destination's combinations) | `CONVERSATIONS` | {buttons} |")
        for objective, found in sorted(goals.items()):
            out.append(f"| {title} | `{destination}` | `{objective}` | "
                       f"{_words(sorted(found))} | {buttons} |")
    out += ["",
            "A messaging ad set also names the Page the chat opens with (`promoted_page`); "
            "a Click-to-WhatsApp ad set adds the business number (`whatsapp_number`). A "
            "Messenger lead form opens from the creative (`welcome lead_form NAME`). A "
            "campaign without a budget of its own needs `adset_budget_sharing false` (or "
            "`true`) since v24.0 (A006). `samples/` has a working file of each kind.", ""]
    return out


def _section(title: str, rows: dict[str, Field], intro: str, *extra: list[str]) -> list[str]:
    out = [f"## {title}", "", intro, "", *table(rows), ""]
    for more in extra:
        out += more
    return out


def page() -> str:
    out = [
        "# The adflow language: reference", "",
        "Generated from `compiler/bodies/fields.py` by "
        "`python -m adflow.compiler.tools.reference -o docs/reference.md` "
        "(a test keeps it current). Each block's members come one a "
        "line, `member value`; the \"Graph API field\" is where the value goes in the "
        "request body. The examples assume these lines at the top of the file:", "",
        *_example(PREAMBLE),
        "## The top level", "",
        "- `api vNN.N`: the Graph API version; `account act_ID`: the ad account.",
        "- `page NAME ID`, `instagram NAME ID`: name a Page or Instagram account once, use "
        "the name everywhere.",
        "- The objects, each `KIND NAME ... { members }`: `campaign NAME`, "
        "`adset NAME in CAMPAIGN`, `creative NAME`, `ad NAME`, `lead_form NAME on PAGE`.",
        "- In any block, `raw FIELD <json>` sends a Graph API field the language does not "
        "model, as written. Comments start with `#`; strings take `\\\" \\\\ \\n \\t "
        "\\uXXXX`.", "",
        *_combinations(),
    ]
    out += _section("campaign NAME { }", fields.CAMPAIGN,
                    "`POST /act_ID/campaigns`.")
    out += _section("adset NAME in CAMPAIGN { }", fields.ADSET,
                    "`POST /act_ID/adsets`. An adset is a block of its own at the top level, "
                    "`adset NAME in CAMPAIGN { ... }`, and an ad names it with `adset NAME`.",
                    ["### targeting { }", "", *table(fields.TARGETING), ""])
    out += _section("creative NAME { }", fields.CREATIVE,
                    "`POST /act_ID/adcreatives`.", _media(), _welcome(),
                    ["### product_extensions { }", "", *table(fields.PRODUCT_EXTENSIONS), ""])
    out += _section("ad NAME { }", fields.AD, "`POST /act_ID/ads`.")
    required = [row.head for row in fields.LEAD_FORM.values()
                if row.path in facts.LEAD_FORM_REQUIRED]
    out += _section("lead_form NAME on PAGE { }", fields.LEAD_FORM,
                    f"`POST /PAGE_ID/messenger_lead_forms`. {_words(required)} are required "
                    "(F014); its steps start with the `intro` (F013) and include a `confirmation` "
                    "(F002).", _lead_form_steps())
    return "\n".join(out).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    from ..project.files import write_atomic

    parser = argparse.ArgumentParser(prog="python -m adflow.compiler.tools.reference",
                                     description="write the language reference page")
    parser.add_argument("-o", "--output", metavar="FILE", help="instead of stdout")
    args = parser.parse_args(argv)
    if args.output:
        write_atomic(args.output, page())
    else:
        sys.stdout.write(page())
    return 0


if __name__ == "__main__":
    sys.exit(main())
