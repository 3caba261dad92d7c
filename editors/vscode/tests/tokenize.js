// Prints the TextMate tokens of each file named on the command line as JSON:
// {"path": [[line, start, end, [scopes...]], ...]} with 0-based lines and
// UTF-16 columns, tokenized by the engine VS Code uses (vscode-textmate with
// Oniguruma). The Python tests compare these scopes with adflow's own parser.
"use strict";
const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
const grammarPath = path.join(__dirname, "..", "syntaxes", "adflow.tmLanguage.json");

async function main() {
  await oniguruma.loadWASM(wasm.buffer);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () =>
      vsctm.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath),
  });
  const grammar = await registry.loadGrammar("source.adflow");
  const out = {};
  for (const file of process.argv.slice(2)) {
    const lines = fs.readFileSync(file, "utf8").split(/\r?\n/);
    let state = vsctm.INITIAL;
    const tokens = [];
    lines.forEach((line, n) => {
      const result = grammar.tokenizeLine(line, state);
      for (const t of result.tokens) {
        tokens.push([n, t.startIndex, Math.min(t.endIndex, line.length), t.scopes]);
      }
      state = result.ruleStack;
    });
    out[file] = tokens;
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(1);
});
