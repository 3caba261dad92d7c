"""`adflow apply`: carries out adflow plan's decisions at Meta from Python
(runner.py), and the saved plans that `adflow plan -o NAME.json` writes (saved.py)."""
