"""Neovim as a real client of `adflow lsp`: headless, with its own LSP client
(`vim.lsp.start_client`), it opens a sample with mistakes, waits for the
diagnostics, writes them down, stops the client (shutdown, then exit) and
quits. Neovim is a test tool the set-up installs (the Makefile's SYSTEM_TOOLS)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from adflow.compiler.pipeline import check_file
from conftest import ADFLOW, PINNED_DAY, SAMPLES

pytestmark = pytest.mark.tools

SCRIPT = r"""
local out = vim.env.ADFLOW_TEST_OUT
local result = { diagnostics = {}, exit_code = vim.NIL }
local client_id = vim.lsp.start_client({
  name = "adflow",
  cmd = { vim.env.ADFLOW_TEST_SERVER, "lsp" },
  root_dir = vim.env.ADFLOW_TEST_ROOT,
  on_exit = function(code, signal) result.exit_code = code; result.signal = signal end,
})
vim.cmd("edit " .. vim.fn.fnameescape(vim.env.ADFLOW_TEST_FILE))
vim.lsp.buf_attach_client(0, client_id)
result.attached = vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(result.diagnostics, {
    line = d.lnum, col = d.col, message = d.message, source = d.source,
    code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or vim.NIL,
  })
end
vim.lsp.stop_client(client_id)
vim.wait(20000, function() return result.exit_code ~= vim.NIL end, 50)
vim.fn.writefile({ vim.fn.json_encode(result) }, out)
vim.cmd("qa!")
"""

# A sample with mistakes: the server must find what `adflow check` finds.
SAMPLE = SAMPLES / "broken" / "flow_mistakes.adflow"


def test_neovim_gets_diagnostics_and_the_server_exits_0(tmp_path: Path) -> None:
    nvim = shutil.which("nvim")
    assert nvim is not None, "Neovim is a test tool: make setup installs it (SYSTEM_TOOLS)"
    sample = tmp_path / SAMPLE.name  # in a folder with no configuration
    sample.write_bytes(SAMPLE.read_bytes())
    script = tmp_path / "client.lua"
    script.write_text(SCRIPT, encoding="utf-8")
    out = tmp_path / "result.json"
    done = subprocess.run(
        [nvim, "--headless", "--clean", "-u", "NONE", "-n", "-c", f"luafile {script}"],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path),
             "XDG_DATA_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path),
             "ADFLOW_TEST_SERVER": ADFLOW, "ADFLOW_TEST_FILE": str(sample),
             "ADFLOW_TEST_ROOT": str(tmp_path), "ADFLOW_TEST_OUT": str(out),
             "SOURCE_DATE_EPOCH": PINNED_DAY},
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=90)
    assert out.exists(), (done.returncode, done.stdout, done.stderr)
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["attached"], result
    found = {(d["line"] + 1, d["col"] + 1, d["code"]) for d in result["diagnostics"]}
    assert (18, 29, "F003") in found  # `question loop "Again?" -> loop`
    checked = check_file(sample).diagnostics  # the sample is ASCII: columns agree
    assert found == {(d.span.line, d.span.column, d.code) for d in checked}
    assert all(d["source"] == "adflow" for d in result["diagnostics"])
    assert result["exit_code"] == 0, result
    # Neovim logs what a server writes on stderr (and its own LSP errors) here.
    log = tmp_path / "nvim" / "lsp.log"
    logged = log.read_text(encoding="utf-8") if log.exists() else ""
    assert "stderr" not in logged and "ERROR" not in logged, logged
