// Starts `adflow lsp` for .adflow files; everything else (diagnostics,
// completion, navigation, formatting) comes from the server.
"use strict";
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate() {
  const [command, ...args] = vscode.workspace
    .getConfiguration("adflow")
    .get("server.command", ["adflow", "lsp"]);
  client = new LanguageClient(
    "adflow",
    "adflow",
    { command, args },
    { documentSelector: [{ language: "adflow" }] },
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
