"""R: names and references between objects. Documented here, reported by the
resolver (compiler/bodies/resolve.py) as it links the objects."""

from ..facts.sources import CAMPAIGN_REFERENCE
from .base import ERROR, WARNING, emitted

R001 = emitted("R001", "undefined-name", ERROR, "a name that is never defined", """
    Objects refer to each other by name. A name that no `page`, `instagram`,
    `lead_form`, `campaign`, `adset`, `creative` or `ad` defines cannot be
    turned into an id.

    Bad (file):
        adset spring_us in sprng_leads { }

    Good (file):
        campaign spring_leads { }
        adset spring_us in spring_leads { }
    """, raised_in=("compiler/bodies/resolve.py",),
    evidence=("adflow language: README.md",))

R002 = emitted("R002", "duplicate-name", ERROR, "a name defined twice", """
    Every object, page and Instagram account shares one namespace, so a name
    means one thing in the whole file.

    Bad (file):
        campaign spring { }
        campaign spring { }

    Good (file):
        campaign spring { }
        campaign summer { }
    """, raised_in=("compiler/bodies/resolve.py", "compiler/bodies/markets.py"),
    evidence=("adflow language: README.md",))

R003 = emitted("R003", "unused-name", WARNING,
               "a page or Instagram name defined and never used", """
    A `page` or `instagram` line binds a name to an id; one nobody refers to
    is usually a typo elsewhere, or left over. (Objects are never unused:
    each is a request worth sending alone, like a lead form made ahead of
    its ads.)

    Bad (file):
        page acme 111222333444
        page spare 999

    Good (file):
        page acme 111222333444
        lead_form quote on acme { }
    """, raised_in=("compiler/bodies/resolve.py",))

R004 = emitted("R004", "wrong-kind", ERROR,
               "a name used where another kind of object is needed", """
    An ad set belongs to a campaign, an ad joins an ad set and a creative,
    a lead form lives on a page. Naming an object of another kind there is
    an error.

    Bad (file):
        creative spring_image { page acme }
        ad spring_ad { adset spring_image  creative spring_image }

    Good (file):
        ad spring_ad { adset spring_us  creative spring_image }
    """, raised_in=("compiler/bodies/resolve.py",),
    evidence=("adflow language: README.md",))

R005 = emitted("R005", "no-account", ERROR, "ad objects without an `account`", """
    Campaigns, ad sets, creatives and ads are created under an ad account:
    the file needs one `account act_<id>` line.

    Bad (file):
        campaign spring { objective OUTCOME_LEADS }

    Good (file):
        account act_1234567890
        campaign spring { objective OUTCOME_LEADS }
    """, raised_in=("compiler/bodies/resolve.py",),
    evidence=("adflow language: README.md", CAMPAIGN_REFERENCE))

R006 = emitted("R006", "duplicate-setting", ERROR, "a field or file setting given twice", """
    A field written twice in one block (or two `api` / `account` lines) would
    leave one of them silently ignored.

    Bad (file):
        campaign spring {
          objective OUTCOME_LEADS
          objective OUTCOME_TRAFFIC
        }

    Good (file):
        campaign spring {
          objective OUTCOME_LEADS
        }
    """, raised_in=("compiler/bodies/resolve.py",),
    evidence=("adflow language: README.md",))

R007 = emitted("R007", "missing-translation", ERROR,
               "a text without a translation for a market", """
    A market that gives translations (`"text" => "translation"` lines in its
    block, or a gettext catalogue named by `translations`) needs one for
    every text people read in the objects made for it: the lead form's
    messages and answers, the creative's texts and welcome message. A text
    left untranslated would reach that market in the language it was
    written in. The finding names the market; `adflow catalogue FILE`
    writes the template (.pot) of every such text for translators.

    Bad (file):
        market mx {
          locale es_MX
          "Get a quote" => "Pide una cotización"
        }
        creative quote_image {
          message "Get a quote"
          headline "Chat with us"
        }

    Good (file):
        market mx {
          locale es_MX
          "Get a quote" => "Pide una cotización"
          "Chat with us" => "Escríbenos"
        }
        creative quote_image {
          message "Get a quote"
          headline "Chat with us"
        }
    """, raised_in=("compiler/bodies/markets.py",),
    evidence=("adflow language: README.md",
              "https://www.gnu.org/software/gettext/manual/html_node/PO-Files.html"))

R008 = emitted("R008", "unreadable-include", ERROR,
               "a used file or catalogue that cannot be read, or uses in a cycle", """
    `use "file.adflow"` takes the definitions of another file, and a market's
    `translations "file.po"` its texts; both are named relative to the file
    that names them. One that is missing, unreadable or not what it should
    be (a file with syntax errors, a catalogue that is not gettext PO) is
    reported where it is named, and so is a `use` that leads back to the
    file that names it.

    Bad (file):
        use "missing.adflow"

    Good (file):
        page acme 111222333444
    """, raised_in=("compiler/bodies/markets.py", "compiler/bodies/readers.py",
                  "compiler/bodies/uses.py"),
    evidence=("adflow language: README.md",))

RULES = [R001, R002, R003, R004, R005, R006, R007, R008]
