"""Files a newcomer writes from the README and docs/reference.md alone (a
Spanish dental clinic's Messenger lead form, a shop's Click-to-Messenger and
Instagram Direct ads with ice breakers, a Click-to-WhatsApp ad): what adflow
says about them, and what `simulate`, `paths` and `preview` show."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import ADFLOW

HEAD = """api v25.0
account act_1234567890
page bakery 111222333444

campaign wa_orders {
  objective OUTCOME_ENGAGEMENT
  special_ad_categories [NONE]
  daily_budget 1500
}

adset wa_br in wa_orders {
  optimization_goal CONVERSATIONS
  destination WHATSAPP
  promoted_page bakery
  whatsapp_number "+5511987654321"
  targeting {
    countries [BR]
  }
}
"""


def whatsapp(welcome: str) -> str:
    return HEAD + f"""
creative wa_image {{
  page bakery
  image hash "c0ffee" link "https://bakery.example"
  message "Encomende seu bolo pelo WhatsApp!"
  call_to_action WHATSAPP_MESSAGE -> WHATSAPP
  {welcome}
}}

ad wa_ad {{
  adset wa_br
  creative wa_image
}}
"""


def adflow(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ADFLOW, *args], cwd=folder, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=60)


# Each Click-to-WhatsApp welcome the reference shows, and what playing it must show.
WHATSAPP_WELCOMES = [
    ('welcome autofill_message "Olá! Como podemos ajudar?" prefill "Quero encomendar um bolo"',
     "autofill_message", ["Olá! Como podemos ajudar?", "Quero encomendar um bolo"]),
    ('welcome whatsapp_flow "Olá!" flow "1234567890" button "Encomendar" prefill "Quero um bolo"',
     "whatsapp_flow", ["Olá!", "Encomendar", "1234567890", "Quero um bolo"]),
    ('welcome ctwa_call_prompt "Olá! Prefere falar?" prompt "Ligue para nós"',
     "ctwa_call_prompt", ["Olá! Prefere falar?", "Ligue para nós"]),
]


@pytest.mark.parametrize(("welcome", "kind", "shown"), WHATSAPP_WELCOMES,
                         ids=[kind for _, kind, _ in WHATSAPP_WELCOMES])
def test_whatsapp_welcomes_play_in_simulate_and_paths(tmp_path: Path, welcome: str, kind: str,
                                                      shown: list[str]) -> None:
    (tmp_path / "whatsapp.adflow").write_text(whatsapp(welcome), encoding="utf-8")
    paths = adflow(tmp_path, "paths", "whatsapp.adflow")
    assert paths.returncode == 0, paths.stderr
    assert f"creative wa_image ({kind})" in paths.stdout, paths.stdout
    played = adflow(tmp_path, "simulate", "whatsapp.adflow", "--all-paths")
    assert played.returncode == 0, played.stderr
    for text in shown:
        assert text in played.stdout, (text, played.stdout)
    assert "WhatsApp" in played.stdout and "Page's inbox" not in played.stdout, played.stdout


def test_simulate_calls_a_broken_welcome_message_a_welcome_message(tmp_path: Path) -> None:
    """The note about errors names what is played: a creative's welcome
    message is no lead form."""
    too_long = "x" * 301  # a greeting takes up to 300 characters
    (tmp_path / "whatsapp.adflow").write_text(whatsapp(f'welcome text "{too_long}"'),
                                              encoding="utf-8")
    assert adflow(tmp_path, "check", "whatsapp.adflow").returncode == 1
    played = adflow(tmp_path, "simulate", "whatsapp.adflow", "--all-paths")
    assert "in this welcome message (adflow check shows them)" in played.stderr, played.stderr


def test_the_reference_names_every_word_the_samples_choose() -> None:
    """A newcomer picks the objective, goal, destination and button from
    docs/reference.md: every one a working sample uses must be findable
    there (not hidden behind "one of 33, e.g." and the first four)."""
    import re

    from conftest import ROOT, SAMPLES

    reference = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    chosen = {m.group(1) for sample in SAMPLES.glob("*.adflow")
              for m in re.finditer(r"(?m)^\s*(?:objective|optimization_goal|destination|"
                                   r"call_to_action)\s+([A-Z_]+)",
                                   sample.read_text(encoding="utf-8"))}
    assert {"OUTCOME_LEADS", "CONVERSATIONS", "MESSENGER", "MESSAGE_PAGE"} <= chosen
    missing = sorted(word for word in chosen
                     if not re.search(rf"`[^`\n]*\b{word}\b[^`\n]*`", reference))
    assert not missing, f"docs/reference.md never names {missing}"


def test_the_reference_says_which_objective_goal_and_button_go_together() -> None:
    """For each kind of messaging ad, the combination that works, from the
    same goal table A002 judges by."""
    from adflow.compiler.facts import facts
    from adflow.compiler.tools.reference import page

    text = page()
    for destination in ("MESSENGER", "INSTAGRAM_DIRECT"):
        for row in facts.GOAL_TABLE:
            if row.destination == destination and row.certain:
                line = next((li for li in text.splitlines()
                             if li.startswith("| ") and f"`{destination}`" in li
                             and f"`{row.objective}`" in li), "")
                assert line, (destination, row.objective)
                assert all(f"`{goal}`" in line for goal in row.goals), (line, row.goals)


def test_every_button_destination_the_reference_lists_is_accepted() -> None:
    """`call_to_action TYPE -> APP`: each APP the reference offers checks clean
    (the ad set's destination_type words, such as LEAD_FROM_MESSENGER, are no
    app_destination: C002)."""
    import re

    from adflow.compiler.front.source import Source
    from adflow.compiler.pipeline import check_source
    from adflow.compiler.tools.reference import page

    [bullet] = [line for line in page().splitlines()
                if line.startswith("- `call_to_action TYPE -> ")]
    apps = re.search(r"\(([^;)]*)", bullet.split(":", 1)[1])  # the first list: the apps
    assert apps, bullet
    offered = re.findall(r"`([A-Z_]+)`", apps.group(1))
    assert "MESSENGER" in offered
    for app in offered:
        text = ("page acme 111222333444\ncreative c {\n  page acme\n"
                '  image hash "9f1c2e" link "https://acme.example"\n'
                f"  call_to_action LEARN_MORE -> {app}\n}}\n")
        codes = {d.code for d in check_source(Source("c.adflow", text)).diagnostics}
        assert "C002" not in codes, (app, codes)


@pytest.mark.parametrize(("button", "app"), [
    ("INSTAGRAM_MESSAGE -> INSTAGRAM_DIRECT", "Instagram"),
    ("WHATSAPP_MESSAGE", "WhatsApp"),
    ("LEARN_MORE -> WHATSAPP", "WhatsApp"),
    ("MESSAGE_PAGE -> MESSENGER", "your Page's inbox"),
])
def test_a_welcome_message_ends_in_the_app_the_button_opens(tmp_path: Path, button: str,
                                                            app: str) -> None:
    """Ice breakers on an Instagram Direct ad go on in Instagram, a WhatsApp
    greeting in WhatsApp: not in "your Page's inbox"."""
    text = whatsapp('welcome ice_breakers "Hi!" {\n    "Open today?" => "Until 8pm."\n  }')
    text = text.replace("call_to_action WHATSAPP_MESSAGE -> WHATSAPP", f"call_to_action {button}")
    (tmp_path / "ad.adflow").write_text(text, encoding="utf-8")
    played = adflow(tmp_path, "simulate", "ad.adflow", "--answers", "Open today?")
    assert played.returncode == 0, played.stderr
    last = played.stdout.rstrip("\n").splitlines()[-1]
    assert last.startswith("-- the welcome message is over") and app in last, played.stdout


def test_samples_readme_shows_only_welcomes_its_samples_use() -> None:
    """A newcomer opens the sample samples/README.md says shows a welcome
    kind: that kind must be in it."""
    import re

    from conftest import SAMPLES

    rows = re.findall(r"(?m)^\| `([^`]+\.adflow)` \| (.*) \|$",
                      (SAMPLES / "README.md").read_text(encoding="utf-8"))
    assert rows
    for name, what in rows:
        text = (SAMPLES / name).read_text(encoding="utf-8")
        for kind in re.findall(r"`welcome ([a-z_]+)", what):
            assert re.search(rf"(?m)^\s*welcome {kind}\b", text), (name, kind)


DENTAL = """# Clínica dental: cita por Messenger
api v25.0
account act_1234567890
page clinica 111222333444

lead_form cita on clinica {
  template_name "Cita dental – Sonrisa Feliz"
  privacy_url "https://sonrisafeliz.example/privacidad"
  reminder "¿Sigues ahí? Solo te llevará un minuto."

  intro "¡Hola {{user_first_name}}! Te ayudamos a pedir tu cita." -> motivo
  question motivo "¿Qué necesitas?" required {
    "Limpieza"    -> ciudad
    "Ortodoncia"  -> ciudad
    "Sólo miraba" -> adios
  }
  question ciudad "¿En qué ciudad vives? (p. ej. Logroño)" prefill CITY optional -> telefono
  question telefono "¿A qué número te llamamos?" prefill PHONE validate -> gracias
  confirmation gracias "¡Gracias, {{user_first_name}}! Te llamaremos mañana."
  disqualify adios "¡No pasa nada! Aquí estamos cuando nos necesites."
}

campaign citas {
  objective OUTCOME_LEADS
  special_ad_categories [NONE]
  adset_budget_sharing false
}

adset citas_es in citas {
  optimization_goal LEAD_GENERATION
  destination MESSENGER
  daily_budget 2000
  promoted_page clinica
  targeting {
    countries [ES]
  }
}

creative cita_imagen {
  page clinica
  image hash "abc123def456" link "https://sonrisafeliz.example"
  message "¿Te duele una muela? Pide cita por Messenger."
  call_to_action LEARN_MORE -> MESSENGER
  welcome lead_form cita
}

ad cita_ad {
  adset citas_es
  creative cita_imagen
}
"""


def test_a_spanish_lead_form_written_from_the_reference(tmp_path: Path) -> None:
    """Accents, ñ, ¿? and {{user_first_name}} pass through check, fmt,
    simulate and the plan unchanged; the one finding is the README's D001."""
    import json

    (tmp_path / "dental.adflow").write_text(DENTAL, encoding="utf-8")
    checked = adflow(tmp_path, "check", "--format", "json", "dental.adflow")
    assert checked.returncode == 0, checked.stdout
    assert [d["code"] for d in json.loads(checked.stdout)["diagnostics"]] == ["D001"]
    assert adflow(tmp_path, "fmt", "--check", "dental.adflow").returncode == 0
    played = adflow(tmp_path, "simulate", "dental.adflow", "--name", "Begoña",
                    "--answers", "2,Logroño,+34 600 111 222")
    assert played.returncode == 0, played.stderr
    assert "bot  ¡Hola Begoña! Te ayudamos a pedir tu cita." in played.stdout
    assert "¡Gracias, Begoña! Te llamaremos mañana." in played.stdout
    plan = json.loads(adflow(tmp_path, "compile", "dental.adflow").stdout)
    steps = plan["requests"][0]["body"]["step_list"]
    assert steps[1]["answers"] == ["Limpieza", "Ortodoncia", "Sólo miraba"]
    assert steps[0]["message"] == "¡Hola {{user_first_name}}! Te ayudamos a pedir tu cita."


@pytest.mark.parametrize(("welcome", "kind", "shown"), WHATSAPP_WELCOMES[:2],
                         ids=[kind for _, kind, _ in WHATSAPP_WELCOMES[:2]])
def test_the_preview_shows_what_a_whatsapp_greeting_puts_in_the_chat(
        tmp_path: Path, welcome: str, kind: str, shown: list[str]) -> None:
    """The prefilled message and the flow's button are what the person sees
    next to the greeting: the preview shows them, as simulate does."""
    import html

    (tmp_path / "whatsapp.adflow").write_text(whatsapp(welcome), encoding="utf-8")
    done = adflow(tmp_path, "preview", "whatsapp.adflow")
    assert done.returncode == 0, done.stderr
    page = html.unescape(done.stdout)
    for text in shown:
        assert text in page, (kind, text)


def test_the_reference_says_which_lead_form_members_are_required() -> None:
    """A lead form without its reminder fails F014: the reference says so
    before the newcomer runs into it."""
    from adflow.compiler.bodies import fields
    from adflow.compiler.facts import facts
    from adflow.compiler.tools.reference import page

    section = page().split("## lead_form NAME on PAGE { }", 1)[1].split("|---", 1)[0]
    heads = [row.head for row in fields.LEAD_FORM.values() if row.path in facts.LEAD_FORM_REQUIRED]
    assert heads
    assert "required" in section and all(f"`{head}`" in section for head in heads), section
