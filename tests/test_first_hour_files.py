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
