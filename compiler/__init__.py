"""adflow's compiler: sources, parsing, the model, rules and the command line."""

__version__ = "0.1.0"
