"""The front end: a file's text to the typed AST (adflow files) or to positioned JSON."""
