"""`adflow import --live`: objects that already run at Meta, read through the
Graph API, as an adflow.plan/1 document the JSON importer writes as DSL.

Campaigns are read by id (or every campaign of an ad account), then their ad
sets and ads, the creatives those ads use and the Messenger lead forms the
creatives' welcome messages name. Each object is asked for the fields its
create edge takes (the request schemas), so what the language cannot say
still comes back and is written `raw`. What Meta reads back in another shape
than a create sends is put back in the create's shape: budgets read as text
(READ_AS_TEXT), an ad's `creative{id}` (READ_BACK_RENAMES), the
welcome message's JSON text, and ids of the objects read as `$ref` markers.

The token travels in the Authorization header only, never in a URL, and no
message shows it; a redirect or a `paging.next` to another origin is not
followed (https://developers.facebook.com/docs/graph-api/results).
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..bodies.model import ENDPOINTS, Document
from ..bodies.wire import loads_embedded
from ..facts.edits import READ_AS_TEXT, READ_BACK_RENAMES
from ..facts.endpoints import schema
from ..findings.diagnostics import Diagnostic
from ..front.limits import Limits
from ..tools.changes import (
    RefreshError,
    compact,
    digest,
    read_object,
    resolve,
)

ACCOUNT = re.compile(r"act_[0-9]+")
OBJECT_ID = re.compile(r"[0-9]+")
# Create parameters that are no field to read: how a request runs, and the
# Instagram account field Meta retired (instagram_user_id reads it now).
_NOT_READ = frozenset({"execution_options", "instagram_actor_id", "account_id"})
_LIST_LIMIT = 100  # objects per page of an edge
_WELCOME = "page_welcome_message"
_FORM_ID = "ctm_lead_gen_template_id"


class LiveError(RefreshError):
    """Meta could not be asked, or refused, while reading what runs."""

    def means(self, code: int, subcode: int) -> bool:
        return self.error.get("code") == code and self.error.get("error_subcode") == subcode


def fields_of(kind: str) -> str:
    """The `fields=` of a read: what the kind's create edge takes (a field
    Meta reads back), `creative{id}` for an ad's creative, and the account a
    campaign belongs to."""
    edge = ENDPOINTS[kind]
    names = sorted(set(schema(edge).get("properties", {})) - _NOT_READ)
    names = ["creative{id}" if n == "creative" else n for n in names]
    if kind == "campaign":
        names.append("account_id")
    return ",".join(names)


@dataclass
class Graph:
    """GETs to one Graph API address, with one token."""

    base_url: str
    version: str
    token: str

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise LiveError("GRAPH_API_URL must be an http:// or https:// address")
        if parts.username is not None or parts.password is not None:
            raise LiveError("GRAPH_API_URL must not hold a user name or password")
        self.origin = (parts.scheme, parts.netloc)

    def get(self, path: str, params: dict[str, str], what: str) -> dict[str, Any]:
        query = urllib.parse.urlencode(params)
        return self._get(f"{self.base_url.rstrip('/')}/{self.version}/{path}?{query}", what)

    def every(self, path: str, params: dict[str, str], what: str) -> Iterator[dict[str, Any]]:
        """Each object of an edge, page after page (`paging.next`)."""
        answer = self.get(path, {**params, "limit": str(_LIST_LIMIT)}, what)
        seen: set[str] = set()
        while True:
            data = answer.get("data")
            if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
                raise LiveError(f"cannot read {what}: the answer is not a list of objects")
            yield from data
            paging = answer.get("paging")
            following = paging.get("next") if isinstance(paging, dict) else None
            if not isinstance(following, str) or not data:
                return
            if following in seen:
                raise LiveError(f"cannot read {what}: paging.next repeats itself")
            seen.add(following)
            answer = self._get(self._same_origin(following, what), what)

    def _same_origin(self, url: str, what: str) -> str:
        """A next page's address, if it is on GRAPH_API_URL; any token in its
        query is dropped (the header carries it)."""
        parts = urllib.parse.urlsplit(url)
        if (parts.scheme, parts.netloc) != self.origin:
            raise LiveError(f"cannot read {what}: paging.next points to another address: not "
                            "followed (the token never leaves GRAPH_API_URL)")
        query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
                 if k != "access_token"]
        return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))

    def _get(self, url: str, what: str) -> dict[str, Any]:
        try:
            return read_object(url, self.token, f"cannot read {what}")
        except RefreshError as exc:
            raise LiveError(str(exc), exc.error) from None


# -- what is read ------------------------------------------------------------------------


@dataclass
class Found:
    """One object read from Meta, in the create's shape."""

    kind: str
    id: str
    path: str  # the edge it would be created on
    body: dict[str, Any]


# Meta's answer for an object that does not exist or that the token may not
# read (https://developers.facebook.com/docs/graph-api/guides/error-handling).
_NOT_READABLE = (100, 33)


@dataclass
class Reading:
    graph: Graph
    found: dict[str, Found] = field(default_factory=dict)  # id -> object, in reading order
    notes: list[str] = field(default_factory=list)  # what was left as it is, and why

    def read(self, campaign_ids: list[str], account: str | None) -> list[Found]:
        campaigns: list[tuple[str | None, dict[str, Any]]] = []  # (the account listing it, it)
        if account is not None:
            campaigns += [(account, c) for c in self.graph.every(
                f"{account}/campaigns", {"fields": fields_of("campaign")},
                f"the campaigns of {account}")]
        for cid in campaign_ids:
            campaigns.append((None, self.graph.get(cid, {"fields": fields_of("campaign")},
                                                   f"campaign {cid}")))
        adsets: list[tuple[str, dict[str, Any]]] = []
        ads: list[tuple[str, dict[str, Any]]] = []
        for listed_in, campaign in campaigns:
            cid = _id_of(campaign, "a campaign")
            if cid in self.found:
                continue
            account_id = campaign.get("account_id")
            owner = (f"act_{account_id}" if isinstance(account_id, str)
                     and OBJECT_ID.fullmatch(account_id) else listed_in)
            if owner is None:
                raise LiveError(f"cannot read campaign {cid}: Meta did not say its ad account "
                                "(account_id)")
            self._add("campaign", campaign, owner)
            adsets += [(owner, a) for a in self.graph.every(
                f"{cid}/adsets", {"fields": fields_of("adset")}, f"the ad sets of {cid}")]
            ads += [(owner, a) for a in self.graph.every(
                f"{cid}/ads", {"fields": fields_of("ad")}, f"the ads of {cid}")]
        for owner, adset in adsets:
            self._add("adset", adset, owner)
        creatives = []
        for owner, ad in ads:
            creative = ad.get("creative")
            crid = creative.get("id") if isinstance(creative, dict) else None
            if isinstance(crid, str) and OBJECT_ID.fullmatch(crid) and crid not in self.found:
                creatives.append(self._add("creative", self.graph.get(
                    crid, {"fields": fields_of("creative")}, f"creative {crid}"), owner))
        for creative in creatives:
            page = _page_of(creative.body)
            for form_id in _forms_named(creative.body):
                if form_id in self.found:
                    continue
                try:
                    form = self.graph.get(form_id, {"fields": fields_of("lead_form")},
                                          f"lead form {form_id}")
                except LiveError as exc:
                    # A form made in Ads Manager may not be readable through the API: the
                    # creative still names it, by its id.
                    if not exc.means(*_NOT_READABLE):
                        raise
                    self.notes.append(f"{exc}: creative {creative.id} refers to it by its id")
                    continue
                self._add("lead_form", form, page or "0")
        for owner, ad in ads:
            self._add("ad", ad, owner)
        accounts = sorted({f.path.split("/")[0] for f in self.found.values()
                           if f.kind != "lead_form"})
        if len(accounts) > 1:  # a file names one `account`
            raise LiveError("the campaigns belong to several ad accounts (" + ", ".join(accounts)
                            + "): an .adflow file has one; import each account's into its own")
        order = ("lead_form", "campaign", "adset", "creative", "ad")  # what refers comes later
        return sorted(self.found.values(), key=lambda f: order.index(f.kind))

    def _add(self, kind: str, read: dict[str, Any], owner: str) -> Found:
        object_id = _id_of(read, f"a {kind}")
        body = {k: v for k, v in read.items() if k not in ("id", "account_id")}
        for name in READ_AS_TEXT.get(kind, ()):
            value = body.get(name)
            if isinstance(value, str) and OBJECT_ID.fullmatch(value):
                body[name] = int(value)
        found = Found(kind, object_id, f"{owner}/{ENDPOINTS[kind]}", body)
        self.found.setdefault(object_id, found)
        return self.found[object_id]


def _id_of(read: dict[str, Any], what: str) -> str:
    value = read.get("id")
    if not isinstance(value, str) or not OBJECT_ID.fullmatch(value):
        raise LiveError(f"Meta answered {what} without an id")
    return value


def _page_of(body: dict[str, Any]) -> str | None:
    """The page a creative speaks for: its story's page, or its post's."""
    story = body.get("object_story_spec")
    if isinstance(story, dict) and isinstance(story.get("page_id"), str):
        return str(story["page_id"])
    post = body.get("object_story_id")
    if isinstance(post, str) and "_" in post:
        return post.split("_", 1)[0]
    return None


def _welcomes(value: Any) -> Iterator[tuple[dict[str, Any], Any]]:
    """(the dict holding it, the decoded value) of each welcome message in a body."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == _WELCOME:
                decoded = _decoded(inner)
                if decoded is not None:
                    yield value, decoded
            else:
                yield from _welcomes(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _welcomes(inner)


def _decoded(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return loads_embedded(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def _form_ids(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == _FORM_ID and isinstance(inner, str) and OBJECT_ID.fullmatch(inner):
                yield inner
            else:
                yield from _form_ids(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _form_ids(inner)


def _forms_named(body: dict[str, Any]) -> list[str]:
    return [form for _, welcome in _welcomes(body) for form in _form_ids(welcome)]


# -- as a plan ---------------------------------------------------------------------------


def key_of(found: Found) -> str:
    """The object's key in the plan: its kind and id (the importer names it)."""
    return f"{found.kind}.{found.id}"


def as_plan(objects: list[Found], version: str) -> dict[str, Any]:
    """An adflow.plan/1 document of the objects, ids of the others as `$ref`."""
    keys = {f.id: key_of(f) for f in objects}

    def ref(value: Any) -> Any:
        return {"$ref": keys[value]} if isinstance(value, str) and value in keys else value

    def with_refs(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: ref(v) if k == _FORM_ID else with_refs(v) for k, v in value.items()}
        if isinstance(value, list):
            return [with_refs(v) for v in value]
        return value

    requests = []
    for found in objects:
        body = json.loads(json.dumps(found.body))  # a copy to rewrite
        if found.kind == "adset":
            body["campaign_id"] = ref(body.get("campaign_id"))
        elif found.kind == "ad":
            body["adset_id"] = ref(body.get("adset_id"))
            creative = body.get("creative")
            if isinstance(creative, dict) and set(creative) == {"id"}:
                # what `creative{id}` reads is what `creative_id` set
                renames = {v: k for k, v in READ_BACK_RENAMES[("ad", "creative")].items()}
                body["creative"] = {renames["id"]: ref(creative["id"])}
        elif found.kind == "creative":
            for holder, welcome in _welcomes(body):
                text = isinstance(holder[_WELCOME], str)
                holder[_WELCOME] = {"$json": with_refs(welcome)} if text else with_refs(welcome)
        requests.append({"key": key_of(found), "method": "POST", "path": found.path,
                         "body": body})
    return {"format": "adflow.plan/1", "api_version": version, "requests": requests}


# -- as DSL and a state ------------------------------------------------------------------

# Findings on what Meta answered that mean part of it cannot be written.
_UNWRITABLE = ("S002", "S003", "S004", "S005", "S006", "S007")


class Unwritable(Exception):
    """What Meta answered cannot be written in adflow (`findings` say where)."""

    def __init__(self, findings: list[Diagnostic]) -> None:
        super().__init__("what Meta answered cannot be written in adflow")
        self.findings = findings


def as_dsl(objects: list[Found], version: str, origin: str,
           limits: Limits) -> tuple[str, dict[str, str]]:
    """The objects as an .adflow file (through the JSON importer, which checks
    that it compiles back to the same bodies), and the id of each key it has."""
    from ..front.source import Source
    from ..pipeline import check_source
    from . import Importer, unimportable

    answered = json.dumps(as_plan(objects, version), ensure_ascii=False, indent=2)
    read = check_source(Source("graph-api.json", answered), limits, version)
    if read.document is None:
        raise Unwritable(read.diagnostics)
    unwritable = [d for d in read.diagnostics if d.code in _UNWRITABLE]
    unwritable += unimportable(read.document)
    if unwritable:
        raise Unwritable(unwritable)
    importer = Importer(read.document, origin)
    text = importer.run()
    return text, {importer.new_key(r): r.key.split(".", 1)[1] for r in read.document.requests}


def state_text(document: Document, ids: dict[str, str]) -> str:
    """A done line per object, as the bundle writes one after a create: the
    id, the edge, the fields the file sends (ids filled in) and their digest."""
    lines = []
    for request in document.requests:
        if request.key not in ids:
            raise LookupError(f"{request.key} was not read from Meta")
        fields = resolve({k: v for k, v in request.body.items() if k != "execution_options"},
                         ids)
        lines.append(compact({"key": request.key, "id": ids[request.key], "path": request.path,
                              "digest": digest(fields), "fields": fields}) + "\n")
    return "".join(lines)
