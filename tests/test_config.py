"""Configuration: discovery, select/ignore, per-file-ignores, severities,
api_version, fail_on, flags over files, and clear errors for bad config."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from adflow.compiler.findings.diagnostics import Severity
from adflow.compiler.project.config import Config, ConfigError, Finder, from_table
from conftest import ADFLOW, PINNED_DAY

UNUSED_PAGE = "page acme 1\npage spare 2\n"  # R003 twice (warnings)
# A lead form with one error (F015) and one warning (F010); v23.0, before
# creating lead forms through the API was deprecated (D001).
FORM = """api v23.0
page acme 111222333444
lead_form quote on acme {
  template_name "Quote"
  privacy_url "http://acme.example/privacy"
  reminder "Still there?"
  intro "Hi!" -> interest
  question interest "Interested?" validate {
    "Yes" -> email
    "No" -> email
  }
  question email "Your email?" prefill EMAIL -> thanks
  confirmation thanks "Thanks!"
}
"""


def check(cwd: Path, *args: str) -> tuple[int, list[dict], str]:
    result = subprocess.run([ADFLOW, "check", "--format", "json", *args], capture_output=True,
                            text=True, cwd=cwd, timeout=60, env={"PATH": "/usr/bin:/bin",
                                                                 "SOURCE_DATE_EPOCH": PINNED_DAY})
    diagnostics = json.loads(result.stdout)["diagnostics"] if result.stdout else []
    return result.returncode, diagnostics, result.stderr


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "quote.adflow").write_text(FORM, encoding="utf-8")
    (tmp_path / "pages.adflow").write_text(UNUSED_PAGE, encoding="utf-8")
    return tmp_path


def codes(diagnostics: list[dict]) -> list[str]:
    return sorted(d["code"] for d in diagnostics)


def test_no_config_reports_everything(project: Path) -> None:
    status, found, _ = check(project, ".")
    assert status == 1
    assert codes(found) == ["F010", "F015", "R003", "R003"]


def test_pyproject_ignore_and_severity(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.adflow]\nignore = ["F015"]\n'
        'severity = { R003 = "info", F010 = "error" }\n', encoding="utf-8")
    status, found, _ = check(project, ".")
    assert codes(found) == ["F010", "R003", "R003"]
    assert {d["code"]: d["severity"] for d in found} == {"F010": "error", "R003": "info"}
    assert status == 1  # F010 is an error now


def test_select_by_prefix_and_fail_on(project: Path) -> None:
    (project / "adflow.toml").write_text('select = ["R"]\nfail_on = "warning"\n', encoding="utf-8")
    status, found, _ = check(project, ".")
    assert codes(found) == ["R003", "R003"] and status == 1
    (project / "adflow.toml").write_text('select = ["R"]\nfail_on = "never"\n', encoding="utf-8")
    assert check(project, ".")[0] == 0


def test_per_file_ignores_globs_relative_to_the_config(project: Path) -> None:
    (project / "adflow.toml").write_text(
        '[per-file-ignores]\n"forms/*.adflow" = ["F"]\n"pages.adflow" = ["R003"]\n',
        encoding="utf-8")
    status, found, _ = check(project / "forms", ".")  # config found by walking up
    assert found == [] and status == 0
    assert check(project, "pages.adflow")[1] == []


def test_nearest_config_wins(project: Path) -> None:
    (project / "adflow.toml").write_text('ignore = ["R003"]\n', encoding="utf-8")
    (project / "forms" / "pyproject.toml").write_text('[tool.adflow]\nignore = ["F010"]\n',
                                                      encoding="utf-8")
    _, found, _ = check(project, ".")
    assert codes(found) == ["F015"]  # forms/ ignores F010 only; root ignores R003 only


# pyproject.toml texts: whether tomllib finds [tool.adflow] in each is what
# load_file must answer, though it parses only those that could have one.
PYPROJECTS = [
    '[tool.ruff]\nline-length = 100\n', '[project]\nname = "adflow"\n',
    '[project.scripts]\nadflow-x = "a:b"\n', '[tool.adflowx]\nselect = ["F"]\n',
    '[tool.adflow]\nselect = ["F"]\n', '[ tool . "adflow" ]\nselect = ["F"]\n',
    "[tool.'adflow'.per-file-ignores]\n\"x.adflow\" = [\"F019\"]\n",
    '[tool]\nadflow = { select = ["F"] }\n', 'tool = { adflow = { select = ["F"] } }\n',
    'tool.adflow.select = ["F"]\n', '[tool]\nadflow.select = ["F"]\n',
]


@pytest.mark.parametrize("text", PYPROJECTS)
def test_a_pyproject_is_read_as_tomllib_reads_it(tmp_path: Path, text: str) -> None:
    import tomllib

    from adflow.compiler.project.config import load_file

    path = tmp_path / "pyproject.toml"
    path.write_text(text)
    has_table = "adflow" in tomllib.loads(text).get("tool", {})
    assert (load_file(path) is not None) == has_table


def test_pyproject_without_section_is_passed_over(project: Path) -> None:
    (project / "adflow.toml").write_text('ignore = ["R003"]\n', encoding="utf-8")
    (project / "forms" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert codes(check(project, ".")[1]) == ["F010", "F015"]


@pytest.mark.slow
def test_flags_override_files(project: Path) -> None:
    (project / "adflow.toml").write_text('select = ["R"]\n', encoding="utf-8")
    _, found, _ = check(project, "--select", "F015", ".")
    assert codes(found) == ["F015"]
    _, found, _ = check(project, "--ignore", "R003", ".")
    assert found == []
    status, _, _ = check(project, "--fail-on", "never", ".")
    assert status == 0
    other = project / "other.toml"
    other.write_text('ignore = ["F", "R"]\n', encoding="utf-8")
    assert check(project, "--config", str(other), ".")[1] == []


def test_api_version_default_applies_when_the_file_names_none(tmp_path: Path) -> None:
    (tmp_path / "adflow.toml").write_text('api_version = "v24.0"\n', encoding="utf-8")
    (tmp_path / "a.adflow").write_text("page acme 1\n", encoding="utf-8")
    (tmp_path / "b.adflow").write_text("api v25.0\npage acme 1\n", encoding="utf-8")
    finder = Finder()
    assert finder.for_file(tmp_path / "a.adflow").api_version == "v24.0"
    from adflow.compiler.pipeline import check_file

    config = finder.for_file(tmp_path / "a.adflow")
    assert check_file(tmp_path / "a.adflow", config).document.api_version == "v24.0"
    assert check_file(tmp_path / "b.adflow", config).document.api_version == "v25.0"
    # The plan targets the version `check` judged.
    (tmp_path / "c.adflow").write_text(
        'account act_1\ncampaign c {\n  objective OUTCOME_TRAFFIC\n  adset_budget_sharing false\n'
        '  special_ad_categories [NONE]\n}\n', encoding="utf-8")
    compiled = subprocess.run([ADFLOW, "compile", "c.adflow"], capture_output=True, text=True,
                              cwd=tmp_path, timeout=60, env={"PATH": "/usr/bin:/bin",
                                                             "SOURCE_DATE_EPOCH": PINNED_DAY})
    assert compiled.returncode == 0, compiled.stderr
    assert json.loads(compiled.stdout)["api_version"] == "v24.0"


@pytest.mark.slow
@pytest.mark.parametrize("text, message", [
    ('selct = ["F"]\n', "unknown key 'selct'; did you mean 'select'?"),
    ('ignore = ["F999"]\n', "'F999' is not a code or code prefix"),
    ('ignore = "F0,"\n', "'F0,' is not a code"),
    ('select = [1]\n', "expected a list of codes"),
    ('fail-on = "sometimes"\n', "fail-on: 'sometimes' is not one of"),
    ('fail_on = "sometimes"\n', "fail-on: 'sometimes' is not one of"),  # the old spelling
    ('severity = { F010 = "fatal" }\n', "'fatal' is not one of error, warning, info"),
    ('api-version = "25"\n', "api-version: '25' is not a version"),
    ('per-file-ignores = ["x"]\n', "per-file-ignores: expected a table"),
    ('select = [\n', "invalid TOML"),
    ('max-questions = 0\n', "max-questions: 0 is not a whole number of at least 1"),
    ('max_questions = "9"\n', "max-questions: '9' is not a whole number"),
    ('fail-on = "error"\nfail_on = "never"\n', "'fail-on' and 'fail_on' are the same setting"),
    ('exclude = "vendor"\n', "exclude: expected a list of globs"),
    ('extend-exclude = ["!"]\n', "extend-exclude: '!' is not a glob .gitignore could use"),
    ('[per-file-ignores]\n"\\\\" = ["F"]\n', "per-file-ignores: '\\\\' is not a glob"),
    ('extend = "missing.toml"\n', "extend: no such file: missing.toml"),
    ('extend = "adflow.toml"\n', "extends itself in a cycle"),
    # The pyproject.toml form (the README shows both) pasted as it is.
    ('[tool.adflow]\nignore = ["F010"]\n\n[tool.adflow.per-file-ignores]\n"drafts/" = ["F"]\n',
     "adflow.toml: [tool.adflow] is the table header of pyproject.toml: in adflow.toml the keys "
     "stand at the top, without it (drop the [tool.adflow] line"),
])
def test_bad_config_is_exit_2_with_a_clear_message(project: Path, text: str, message: str) -> None:
    (project / "adflow.toml").write_text(text, encoding="utf-8")
    status, found, stderr = check(project, ".")
    assert status == 2, stderr
    assert message in stderr and "adflow.toml" in stderr
    assert "Traceback" not in stderr


def test_an_extend_of_a_link_to_itself_is_exit_2_with_a_clear_message(project: Path) -> None:
    """pathlib's resolve raised RuntimeError on a link loop: an internal error."""
    (project / "loop.toml").symlink_to("loop.toml")
    (project / "adflow.toml").write_text('extend = "loop.toml"\n', encoding="utf-8")
    status, _, stderr = check(project, ".")
    assert (status, stderr) == (2, f"adflow: error: {project / 'adflow.toml'}: extend: "
                                   "no such file: loop.toml\n")


@pytest.mark.slow
def test_max_questions_moves_f019(project: Path) -> None:
    """The form asks two questions on its longest path: F019 at a limit of 1."""
    assert "F019" not in codes(check(project, ".")[1])
    (project / "adflow.toml").write_text("max_questions = 1\n", encoding="utf-8")
    _, found, _ = check(project, ".")
    assert [d["message"].split(":")[0] for d in found if d["code"] == "F019"] == [
        "question 'email' can be the 2nd question, over the limit of 1"]
    (project / "adflow.toml").write_text("max_questions = 2\n", encoding="utf-8")
    assert "F019" not in codes(check(project, ".")[1])


def test_bad_flags_are_exit_2(project: Path) -> None:
    for flags in (["--select", "Q1"], ["--api-version", "latest"], ["--config", "missing.toml"]):
        status, _, stderr = check(project, *flags, ".")
        assert status == 2 and "Traceback" not in stderr and stderr.startswith("adflow: error:")


def test_config_object_semantics() -> None:
    config = from_table({"select": ["F"], "ignore": ["F01"], "severity": {"F": "info",
                         "F003": "warning"}}, "test", None)
    assert config.enabled("F003", "x.adflow") and not config.enabled("F010", "x.adflow")
    assert not config.enabled("R003", "x.adflow")
    assert config.fails(Severity.ERROR) and not Config(fail_on="never").fails(Severity.ERROR)
    with pytest.raises(ConfigError):
        from_table({"ignore": ["nope"]}, "test", None)


@pytest.mark.slow
def test_kebab_case_keys_with_the_old_spellings_as_aliases(project: Path) -> None:
    (project / "adflow.toml").write_text('select = ["R"]\nfail-on = "warning"\n', encoding="utf-8")
    assert check(project, ".")[0] == 1  # the R003 warnings fail the run now
    for key in ("fail-on", "fail_on"):
        (project / "adflow.toml").write_text(f'{key} = "never"\n', encoding="utf-8")
        assert check(project, ".")[0] == 0
    for text in ('api-version = "v24.0"\nmax-questions = 3\n',
                 'api_version = "v24.0"\nmax_questions = 3\n'):
        config = from_table(__import__("tomllib").loads(text), "t", None)
        assert (config.api_version, config.max_questions) == ("v24.0", 3)


def test_extend_builds_on_a_base_whose_globs_stay_its_own(project: Path) -> None:
    (project / "base.toml").write_text(
        'ignore = ["R003"]\nfail-on = "never"\n[per-file-ignores]\n"forms/*.adflow" = ["F015"]\n',
        encoding="utf-8")
    (project / "forms" / "adflow.toml").write_text('extend = "../base.toml"\nfail-on = "warning"\n',
                                                   encoding="utf-8")
    config = Finder().for_file(project / "forms" / "quote.adflow")
    assert config.ignore == ("R003",) and config.fail_on == "warning"  # this file's own wins
    status, found, _ = check(project, "forms")
    # forms/*.adflow is relative to base.toml's folder, so it matches forms/quote.adflow.
    assert codes(found) == ["F010"] and status == 1


def test_per_file_ignores_have_gitignore_semantics(tmp_path: Path) -> None:
    config = from_table({"per-file-ignores": {"forms/*.adflow": ["F"], "drafts/": ["R"],
                                              "*.json": ["S005"]}}, "t", tmp_path)

    def ignored(code: str, relative: str) -> bool:
        return not config.enabled(code, str(tmp_path / relative))

    assert ignored("F003", "forms/a.adflow")
    assert not ignored("F003", "forms/sub/x.adflow")  # * stops at a slash
    assert ignored("R003", "drafts/x.adflow") and ignored("R003", "drafts/deep/y.adflow")
    assert not ignored("R003", "other/drafts.adflow")
    assert ignored("S005", "a/b/c.json") and not ignored("S005", "a/b/c.adflow")


# -- the JSON Schema of the configuration -----------------------------------------

CONFIG_SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "adflow.toml.schema.json"

# (table, whether it is a valid configuration): the loader and the schema agree.
TABLES = [
    ({}, True),
    ({"select": ["F", "R003"], "ignore": "D001", "fail-on": "warning"}, True),
    ({"per-file-ignores": {"forms/*.adflow": ["F010"]}, "severity": {"R003": "info"}}, True),
    ({"api-version": "v25.0", "max-questions": 5, "exclude": ["vendor/"],
      "extend-exclude": ["*.tmp.json"]}, True),
    ({"api_version": "v25.0", "fail_on": "never", "max_questions": 1}, True),
    ({"selct": ["F"]}, False),
    ({"fail-on": "sometimes"}, False),
    ({"max-questions": 0}, False),
    ({"max-questions": "9"}, False),
    ({"api-version": "25"}, False),
    ({"severity": {"F010": "fatal"}}, False),
    ({"per-file-ignores": ["x"]}, False),
    ({"exclude": "vendor/"}, False),
    ({"extend-exclude": [1]}, False),
    ({"select": [1]}, False),
    ({"extend": ""}, False),
]


def test_the_schema_names_exactly_the_keys_the_loader_accepts() -> None:
    from adflow.compiler.project.config import ALIASES, KEYS

    schema = json.loads(CONFIG_SCHEMA.read_text(encoding="utf-8"))
    assert set(schema["properties"]) == set(KEYS) | set(ALIASES)
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("table, valid", TABLES)
def test_the_schema_and_the_loader_agree(table: dict, valid: bool, tmp_path: Path) -> None:
    import jsonschema

    schema = json.loads(CONFIG_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    assert jsonschema.Draft7Validator(schema).is_valid(table) is valid
    if valid:
        from_table(table, "t", tmp_path)
    else:
        with pytest.raises(ConfigError):
            from_table(table, "t", tmp_path)


def test_the_readme_and_sample_configurations_validate() -> None:
    """Every TOML block of the README that configures adflow passes the schema."""
    import re
    import tomllib

    import jsonschema

    schema = json.loads(CONFIG_SCHEMA.read_text(encoding="utf-8"))
    readme = (CONFIG_SCHEMA.parent.parent / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", readme, re.DOTALL)
    tables = []
    for block in blocks:
        data = tomllib.loads(block)
        tables.append(data["tool"]["adflow"] if "tool" in data else data)
    assert tables, "the README shows a configuration"
    for table in tables:
        jsonschema.validate(table, schema, cls=jsonschema.Draft7Validator)
        from_table(table, "README", None)
