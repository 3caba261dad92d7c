"""`adflow preview`: the self-contained HTML page, checked as text and in a
real headless Chromium (its DOM and a screenshot).

Chromium launches take seconds, so every page is rendered once per module
(in parallel) and the tests share the results.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import tempfile
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from adflow.compiler.bodies.model import Document
from adflow.compiler.pipeline import check_file
from adflow.compiler.tools.flowgraph import flow_graph
from adflow.emitters.svgflow import layers, layout
from conftest import ADFLOW, SAMPLES
from markupsafe import escape

SAMPLE_FILES = sorted(SAMPLES.glob("*.adflow")) + [SAMPLES / "broken" / "flow_mistakes.adflow"]
SCREENSHOTS = ("seed_lead_form", "ctm_welcome_messages", "flow_mistakes")
CHROMIUM_TIMEOUT = 60
HOSTILE = "</script><img src=x onerror=alert(1)>"

# A sample whose every user string is hostile: markup, quotes, RTL, emoji.
HOSTILE_SOURCE = r'''api v25.0
account act_1234567890
page acme 111222333444

lead_form evil on acme {
  template_name "</script><img src=x onerror=alert(1)> \"quoted\" 'single'"
  privacy_url "https://acme.example/privacy?a=1&b=<b>"
  reminder "]]> --> <!-- </style>"
  intro "</script><img src=x onerror=alert(1)> مرحبا {{user_first_name}} 🚀" -> pick
  question pick "Pick \"one\" & <b>bold</b>?" required {
    "<img src=x onerror=alert(2)>" -> thanks
    "שלום" -> thanks
  }
  confirmation thanks "Thanks 🎉 </textarea><svg onload=alert(3)>"
}

creative bad_copy {
  name "</script><img src=x onerror=alert(1)>"
  page acme
  image hash "abc" link "https://acme.example/\"onmouseover=alert(4)"
  message "</script><img src=x onerror=alert(1)>"
  description "javascript:alert(5)"
  call_to_action MESSAGE_PAGE -> MESSENGER
  welcome ice_breakers "</script><img src=x onerror=alert(1)>" {
    "<i>q</i>" => "</script><img src=x onerror=alert(6)>"
  }
}
'''


def run_adflow(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ADFLOW, *args], capture_output=True, text=True, timeout=60,
                          check=False)


def preview(path: Path, *extra: str) -> str:
    done = run_adflow("preview", str(path), *extra)
    assert done.returncode == 0, done.stderr
    return done.stdout


def step_messages(path: Path) -> dict[str, list[str]]:
    """Every lead form's step messages and answers, from the compiled plan (or,
    for a file with errors, which does not compile, from its model)."""
    done = run_adflow("compile", str(path), "--emit", "json")
    if done.returncode == 1:
        bodies = {r.key: r.body for r in _document(path).of_kind("lead_form")}
    else:
        assert done.returncode == 0, done.stderr
        bodies = {r["key"]: r["body"] for r in json.loads(done.stdout)["requests"]
                  if r["path"].endswith("/messenger_lead_forms")}
    out: dict[str, list[str]] = {}
    for key, body in bodies.items():
        texts = []
        for step in body["step_list"]:
            texts.append(step["message"])
            texts.extend(step.get("answers", []))
        out[key] = texts
    return out


# -- reading HTML and PNG with the standard library ------------------------------------------


@dataclass
class Tag:
    name: str
    attrs: dict[str, str]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[Tag] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(Tag(tag, {k: v or "" for k, v in attrs}))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.styles if self._in_style else self.text).append(data)


def read_html(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def squash(text: str) -> str:
    return " ".join(text.split())


def png_colours(path: Path) -> tuple[int, int, set[bytes]]:
    """(width, height, the colours of a grid of sampled pixels) of an 8-bit
    RGB or RGBA PNG, decoded with zlib and the five PNG row filters."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks, header = 8, [], b""
    while pos < len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + size]
        pos += 12 + size
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
    width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, header
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * bpp
    prev = bytearray(stride)
    colours: set[bytes] = set()
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            line = bytearray(map(lambda a, b: (a + b) & 255, line, prev))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        if row % 4 == 0:
            for i in range(0, stride, bpp * 4):
                colours.add(bytes(line[i:i + 3]))
        prev = line
    return width, height, colours


# -- the pages, rendered once -----------------------------------------------------------------


@dataclass
class Rendered:
    source: Path
    page: Path
    html: str
    dom: str = ""
    screenshot: Path | None = None


def chromium_binary() -> str:
    for name in (os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser"):
        found = shutil.which(name) if name else None
        if found:
            return found
    pytest.fail("Chromium is needed to test `adflow preview` in a real browser and was not "
                "found on PATH (looked for $CHROMIUM, chromium, chromium-browser). Install the "
                "Debian package: apt-get install chromium (make setup does this).",
                pytrace=False)


def chromium(binary: str, page: Path, *mode: str) -> str:
    """Run headless Chromium once on a page; its stdout. Chromium writes a lot
    of harmless noise to stderr, shown only when it fails."""
    with tempfile.TemporaryDirectory(prefix="adflow-chromium-") as profile:
        command = [binary, "--headless", "--no-sandbox", "--disable-gpu",
                   "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
                   # No calls home: the machine's network is closed, and a
                   # page that needs none must render without them.
                   "--disable-background-networking", "--disable-component-update",
                   "--disable-sync", "--disable-quic", "--hide-scrollbars",
                   f"--user-data-dir={profile}", *mode, page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, check=False,
                                  timeout=CHROMIUM_TIMEOUT, cwd=profile)
        except subprocess.TimeoutExpired:
            pytest.fail(f"chromium took over {CHROMIUM_TIMEOUT}s on {page}", pytrace=False)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.splitlines()[-15:])
        pytest.fail(f"chromium failed ({done.returncode}) on {page}:\n{tail}", pytrace=False)
    return done.stdout


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    binary = chromium_binary()
    out = tmp_path_factory.mktemp("previews")
    hostile = out / "hostile.adflow"
    hostile.write_text(HOSTILE_SOURCE, encoding="utf-8")
    pages: dict[str, Rendered] = {}
    for source in [*SAMPLE_FILES, hostile]:
        page = out / f"{source.stem}.html"
        done = run_adflow("preview", str(source), "-o", str(page))
        assert done.returncode == 0, done.stderr
        pages[source.stem] = Rendered(source, page, page.read_text(encoding="utf-8"))

    def dom(item: Rendered) -> None:
        item.dom = chromium(binary, item.page, "--dump-dom")

    def shot(item: Rendered) -> None:
        target = item.page.with_suffix(".png")
        chromium(binary, item.page, f"--screenshot={target}", "--window-size=1280,2000")
        item.screenshot = target

    with ThreadPoolExecutor(max_workers=4) as pool:
        jobs = [pool.submit(dom, item) for item in pages.values()]
        jobs += [pool.submit(shot, pages[name]) for name in SCREENSHOTS]
        for job in jobs:
            job.result()
    return pages


def sample_ids() -> Iterator[str]:
    yield from (p.stem for p in SAMPLE_FILES)


# -- the page as text -------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(sample_ids()))
def test_every_sample_previews_deterministically(rendered: dict[str, Rendered],
                                                 name: str) -> None:
    item = rendered[name]
    assert item.html.startswith("<!DOCTYPE html>")
    # Stdout and -o give the same bytes, run after run.
    assert preview(item.source) == item.html
    assert str(item.source) in item.html


@pytest.mark.parametrize("name", [*sample_ids(), "hostile"])
def test_no_network_references(rendered: dict[str, Rendered], name: str) -> None:
    page = read_html(rendered[name].html)
    assert not [t for t in page.tags if t.name in (
        "script", "link", "img", "iframe", "object", "embed", "video", "audio", "source")]
    remote = ("http:", "https:", "//", "ftp:", "data:", "javascript:")
    for tag in page.tags:
        for attr in ("src", "href", "xlink:href", "srcset", "action", "poster", "background"):
            value = tag.attrs.get(attr, "").strip().lower()
            assert not value.startswith(remote), (tag.name, attr, value)
        if tag.name == "a" and "href" in tag.attrs:
            assert tag.attrs["href"].startswith("#"), tag.attrs["href"]
        assert "url(" not in tag.attrs.get("style", "").replace("url(#", "")
    style = "".join(page.styles).lower()
    assert "@import" not in style and "@font-face" not in style
    assert "url(" not in style


def test_hostile_strings_are_text(rendered: dict[str, Rendered]) -> None:
    html = rendered["hostile"].html
    assert "<img" not in html and "</script>" not in html and "<svg onload" not in html
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    page = read_html(html)
    assert not [t for t in page.tags if any(a.startswith("on") for a in t.attrs)]
    assert {t.name for t in page.tags} <= {
        "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "div",
        "span", "nav", "a", "main", "section", "small", "strong", "b", "ul", "li", "code", "br",
        "svg", "defs", "marker", "path", "g", "rect", "text", "circle", "i", "p"}
    text = squash(" ".join(page.text))
    for written in (HOSTILE, 'Pick "one" & <b>bold</b>?', "مرحبا", "🚀", "שלום",
                    "]]> --> <!-- </style>", "'single'"):
        assert written in text


def test_form_option_limits_the_page() -> None:
    only = preview(SAMPLES / "product_extensions.adflow", "--form", "order_help")
    assert "Lead form order_help" in only
    assert "lead_video" in only and "products_image" not in only
    done = run_adflow("preview", str(SAMPLES / "seed_lead_form.adflow"), "--form", "nope")
    assert done.returncode == 2 and "no lead form named 'nope'" in done.stderr


def test_findings_sit_next_to_what_they_concern(rendered: dict[str, Rendered]) -> None:
    html = rendered["flow_mistakes"].html
    # What check finds, not a copy of its words: a rule's text may change.
    found = check_file(SAMPLES / "broken" / "flow_mistakes.adflow")
    loop = next(d for d in found.diagnostics if d.code == "F003" and d.span.line == 18)
    # The step's finding is in its bubble's block, the form's under the flow.
    step = html.split('id="form-0-step-4"', 1)[1].split('class="step"', 1)[0]
    assert "F003" in step and str(escape(loop.message)) in step
    assert html.count('class="edge bad"') >= 3  # two backward jumps, one unknown target
    assert found.errors > 0 and f"{found.errors} errors" in html
    seed = rendered["seed_lead_form"].html
    creative = seed.split('id="creative-0"', 1)[1].split("</section>", 1)[0]
    assert "Starts the lead form" in creative
    subscribe = rendered["click_to_subscribe"].html.split('id="creative-0"', 1)[1]
    assert "D003" in subscribe.split("</section>", 1)[0]


def test_every_welcome_shape_is_shown(rendered: dict[str, Rendered]) -> None:
    text = squash(" ".join(read_html(rendered["ctm_welcome_messages"].html).text))
    for shown in ("Hi {{user_first_name}}! How can we help?", "Ice breakers",
                  "Can I make a purchase?", "Sure! Tell us what you need.",
                  "Call to make an appointment.", "Repair", "We answer within minutes.",
                  "FLOW-ID-4242", "Questions about your pipes? Ask us in Messenger.",
                  "See how we fix a leak in 60 seconds"):
        assert shown in text
    cts = squash(" ".join(read_html(rendered["click_to_subscribe"].html).text))
    assert "Spring deals" in cts and "Get messages" in cts
    ig = squash(" ".join(read_html(rendered["instagram_direct"].html).text))
    assert "existing Instagram post 17900000000000001" in ig and "opens Instagram Direct" in ig
    products = squash(" ".join(read_html(rendered["product_extensions"].html).text))
    assert "product set 777888999000" in products and "existing Facebook post" in products
    seed = squash(" ".join(read_html(rendered["seed_lead_form"].html).text))
    assert "✉ email" in seed and "☎ phone" in seed and "lead submitted" in seed


def test_json_payloads_preview() -> None:
    html = preview(SAMPLES / "payloads" / "creative_body.json")
    assert "Can I get a quote?" in html  # the welcome was JSON inside a string
    assert "What city do you live in?" in preview(SAMPLES / "payloads" / "seed_lead_form.json")


# -- the layout -------------------------------------------------------------------------------


def _document(path: Path) -> Document:
    from adflow.compiler.cli.commands.graph import load

    return load(str(path))[1]


def test_layers_are_longest_forward_distance() -> None:
    form = next(_document(SAMPLES / "seed_lead_form.adflow").of_kind("lead_form"))
    graph = flow_graph(form)
    by_name = {graph.steps[i].name: layer for i, layer in layers(graph).items()}
    assert by_name == {"intro": 0, "interest": 1, "city": 2, "sorry": 2, "phone": 3,
                       "email": 4, "thanks": 5}
    branching = next(_document(SAMPLES / "branching_flow.adflow").of_kind("lead_form"))
    graph = flow_graph(branching)
    named = {graph.steps[i].name: layer for i, layer in layers(graph).items()}
    assert named["when"] == 3 and named["house_type"] == 2  # size -> when waits for house_type
    flow = layout(graph, [])
    boxes = [(n.x, n.y) for n in flow.nodes]
    assert len(set(boxes)) == len(boxes)  # no two steps on one spot
    # In a layer, steps go in the order written.
    for a in flow.nodes:
        for b in flow.nodes:
            if a.y == b.y and a.index < b.index:
                assert a.x < b.x


# -- in a real browser ------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(sample_ids()))
def test_browser_shows_every_step(rendered: dict[str, Rendered], name: str) -> None:
    item = rendered[name]
    dom = read_html(item.dom)
    assert not [t for t in dom.tags if t.name in ("img", "script")]
    text = squash(" ".join(dom.text))
    forms = step_messages(item.source)
    for key, texts in forms.items():
        for written in texts:
            assert squash(written) in text, f"{key}: {written!r} is not on the page"
    assert len(dom.tags) > 40


def test_browser_keeps_hostile_strings_as_text(rendered: dict[str, Rendered]) -> None:
    dom = read_html(rendered["hostile"].dom)
    assert not [t for t in dom.tags if t.name in ("img", "script", "textarea")]
    assert not [t for t in dom.tags if any(a.startswith("on") for a in t.attrs)]
    assert HOSTILE in squash(" ".join(dom.text))


@pytest.mark.parametrize("name", SCREENSHOTS)
def test_screenshot_is_not_blank(rendered: dict[str, Rendered], name: str) -> None:
    shot = rendered[name].screenshot
    assert shot is not None and shot.exists()
    width, height, colours = png_colours(shot)
    assert (width, height) == (1280, 2000)
    assert len(colours) >= 16, f"only {len(colours)} colours: the page looks blank"
