"""What adflow knows of the Graph API, each fact once and with its source.

One module per subject: `sources` (the public pages cited), `versions`,
`campaigns`, `adsets`, `creatives`, `lead_forms`, `limits`, `deprecations`,
`parameters` (what each endpoint takes, and as what on the wire), `goals`
(objective x destination type x optimization goal), `errors`, `edits` (what
Meta lets you change in place). `endpoints/` holds the request body schemas,
whose enums and limits `make schemas` (`write_schemas`) writes from these
modules; `clock` is today's date.

Every enum of Meta's values, limit, version and parameter list that the
rules, the editor, the importer and the emitters use is defined here, once
(tests/test_facts_once.py looks for second copies), so targeting another API
version is a change here.

What Meta accepts decides: wire formats its SDK sends (numbers and objects as
text) are facts too (`parameters`), and a fact Meta's pages and SDK disagree
on is a warning, naming where it comes from, never an error.

Source tags: "SDK" is facebook-business 25.0.3, Meta's generated client for
v25.0 (tests/test_facts_sdk.py checks every SDK-sourced value against it);
"seed" is Meta's Click-to-Messenger guide (CTM_GUIDE); every other page is
named by one of the public URLs in `sources`, which rules' evidence cites
too. Sources users see in messages (Limit.source, GoalRow.source) name Meta's
pages. Stdlib only, records are NamedTuples (cheaper to define than
dataclasses): `adflow check` imports these modules on every run. This
package imports none of them, so a module that needs one subject pays for
that one alone.
"""
