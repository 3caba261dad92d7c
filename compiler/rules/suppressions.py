"""N: notes about adflow's own directives in a file (suppressions). Documented
here, reported by compiler/findings/suppress.py when it applies them."""

from .base import WARNING, emitted

N001 = emitted("N001", "unused-suppression", WARNING,
               "a suppression comment that hides nothing", """
    `# adflow: ignore[CODE]` hides a diagnostic on its line (or, on a line of
    its own, in the statement after it); `# adflow: ignore-file[CODE]` hides
    it in the whole file. One that hides nothing is stale: the problem was
    fixed, or the code is misspelt, and it would hide a future problem.

    Bad (file):
        account act_1234567890  # adflow: ignore[F001]

    Good (objects):
        page acme 111222333444
        page spare 999  # adflow: ignore[R003]
    """, raised_in=("compiler/findings/suppress.py",))

RULES = [N001]
