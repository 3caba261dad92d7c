"""F018-F019: checks over the paths a person can take through a lead form.

Both walk the graph in linear time (compiler/flowgraph.py), so they stay
quick on forms whose number of paths is exponential.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..flowgraph import contactless_paths, flow_graph, most_questions

# Past about eight questions people drop out of a Messenger form; the
# `max-questions` setting (and `adflow paths --max-questions N`) moves it.
from ..limits import DEFAULT_MAX_QUESTIONS
from ..model import Document
from .base import WARNING, report, rule


@rule("F018", "no-contact-on-path", WARNING,
      "a path reaches CONFIRMATION without the phone or email question the form has")
def F018(document: Document) -> Iterator[Diagnostic]:
    """Every way to the CONFIRMATION should ask for a phone number or an
    email (a question with prefill PHONE or EMAIL): a lead without either
    can only be answered inside Messenger, and in a form that does ask for
    them elsewhere, a path that skips them is usually a wrong arrow.

    Bad (objects on acme):
        lead_form quote on acme {
          intro "Hi!" -> interest
          question interest "Interested?" {
            "Yes" -> phone
            "Later" -> thanks
          }
          question phone "Your number?" prefill PHONE -> thanks
          confirmation thanks "Thanks!"
        }

    Good (objects on acme):
        lead_form quote on acme {
          intro "Hi!" -> interest
          question interest "Interested?" {
            "Yes" -> phone
            "Later" -> phone
          }
          question phone "Your number?" prefill PHONE -> thanks
          confirmation thanks "Thanks!"
        }
    """
    for request in document.of_kind("lead_form"):
        graph = flow_graph(request)
        asks = any(step.collects_contact for step in graph.steps)
        for index, path in contactless_paths(graph).items():
            step = graph.steps[index]
            how = "" if asks else " (the form never asks for either)"
            yield report(F018, request, step.pointer,
                         f"confirmation '{step.name}' is reached without asking for a phone "
                         f"number or an email{how}: {path.describe(graph)}",
                         help="add a question with prefill PHONE or prefill EMAIL on this path")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@rule("F019", "long-path", WARNING,
      f"a path asks more than {DEFAULT_MAX_QUESTIONS} questions (setting: max-questions)",
      options=("max_questions",))
def F019(document: Document, max_questions: int = DEFAULT_MAX_QUESTIONS
         ) -> Iterator[Diagnostic]:
    """Every question is a chance to leave; a path that asks more than eight
    loses people before the CONFIRMATION. Reported once, at the question
    where a path first goes over the limit. Set another limit with
    `max-questions = N` in `[tool.adflow]` (pyproject.toml or adflow.toml),
    or `adflow paths --max-questions N`.

    Bad (objects on acme):
        lead_form long on acme {
          intro "Hi!" -> q1
          question q1 "One?" -> q2
          question q2 "Two?" -> q3
          question q3 "Three?" -> q4
          question q4 "Four?" -> q5
          question q5 "Five?" -> q6
          question q6 "Six?" -> q7
          question q7 "Seven?" -> q8
          question q8 "Eight?" -> phone
          question phone "Your number?" prefill PHONE -> thanks
          confirmation thanks "Thanks!"
        }

    Good (objects on acme):
        lead_form short on acme {
          intro "Hi!" -> q1
          question q1 "One?" -> phone
          question phone "Your number?" prefill PHONE -> thanks
          confirmation thanks "Thanks!"
        }
    """
    for request in document.of_kind("lead_form"):
        graph = flow_graph(request)
        for index, path in most_questions(graph).items():
            step = graph.steps[index]
            asked = path.questions(graph)
            if step.is_question and asked > max_questions >= asked - 1:
                yield report(F019, request, step.pointer,
                             f"question '{step.name}' can be the {_ordinal(asked)} question, "
                             f"over the limit of {max_questions}: {path.describe(graph)}",
                             help="ask fewer questions on this path, or split the form")


RULES = [F018, F019]
