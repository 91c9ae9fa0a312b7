"""One Config from the command line to the worker: built from defaults, a TOML file and
--set, validated with one clear error, and the one every stage uses."""

import re

import pytest

from corpusprep import extract, pipeline, store
from corpusprep.clean import CleanConfig
from corpusprep.config import Config, ConfigError, load, setting_names
from corpusprep.read import discover
from flows import cli


def test_file_then_settings_override_the_defaults(tmp_path):
    path = tmp_path / "corpusprep.toml"
    path.write_text("doc_timeout_s = 5\nmin_shards = 2\n[clean]\nkeep_threshold = 0.6\n")
    config = load(path, ["min_shards=4", "clean.keep_comments=yes"])
    assert config.doc_timeout_s == 5.0 and isinstance(config.doc_timeout_s, float)
    assert config.min_shards == 4  # --set is applied after the file
    assert config.clean == CleanConfig(keep_threshold=0.6, keep_comments=True)
    assert config.max_file_bytes == Config().max_file_bytes


def test_every_setting_can_be_set_from_the_command_line_and_round_trips():
    wanted = {}
    for name in setting_names():
        section, _, key = name.rpartition(".")
        default = getattr(Config().clean if section else Config(), key)
        if isinstance(default, bool):
            wanted[name] = not default
        elif isinstance(default, str):  # a choice: another one
            wanted[name] = "trafilatura" if default == "blocks" else "blocks"
        else:
            wanted[name] = default + 1 if isinstance(default, int) else default / 2
    config = Config().updated({k: str(v) for k, v in wanted.items()}, parse=True)
    got = {k: v for k, v in config.to_dict().items() if k != "clean"}
    got |= {f"clean.{k}": v for k, v in config.to_dict()["clean"].items()}
    assert got == wanted
    assert {k: type(v) for k, v in got.items()} == {k: type(v) for k, v in wanted.items()}
    assert Config.from_dict(config.to_dict()) == config


@pytest.mark.parametrize(
    "setting, message",
    [
        ("doc_timeout=5", "did you mean 'doc_timeout_s'"),
        ("keep_threshold=0.3", "did you mean 'clean.keep_threshold'"),
        ("clean.keep_threshold=1.5", "between 0 and 1"),
        ("min_shards=four", "whole number"),
        ("clean.keep_comments=maybe", "true or false"),
        ("max_file_bytes=0", "must be positive"),
        ("clean.min_repeat_docs=-1", "must not be negative"),
        ("doc_timeout_s", "KEY=VALUE"),
        ("clean=1", "unknown setting 'clean'"),
    ],
)
def test_bad_settings_are_one_clear_error(setting, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        load(None, [setting])


def test_a_bad_config_file_names_itself(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("min_shards = [\n")
    with pytest.raises(ConfigError, match="bad.toml.*not valid TOML"):
        load(path)
    path.write_text('min_shards = "8"\n')  # TOML has types: a string is not a number
    with pytest.raises(ConfigError, match="min_shards takes a whole number"):
        load(path)
    with pytest.raises(ConfigError, match="cannot read config file"):
        load(tmp_path / "missing.toml")


def test_the_cli_refuses_a_bad_setting_before_starting_anything(raw_corpus, tmp_path, capsys):
    code = cli.main(["run", str(raw_corpus), "--out", str(tmp_path / "o"), "--set", "nope=1"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("corpusprep: error: unknown setting 'nope'") and err.count("\n") == 1
    assert not (tmp_path / "o" / "documents").exists()


def test_settings_lists_every_setting_with_its_default(capsys):
    assert cli.main(["settings"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(" = ")[0] for line in out] == setting_names()
    assert f"clean.keep_threshold = {CleanConfig().keep_threshold!r}" in out


def test_html_second_opinion_uses_the_runs_clean_config(monkeypatch):
    seen = []
    real = extract.clean_text

    def spy(text, **kw):
        seen.append(kw.get("config"))
        return real(text, **kw)

    monkeypatch.setattr(extract, "clean_text", spy)
    config = Config(clean=CleanConfig(keep_threshold=0.9))
    # a bare fragment: trafilatura cannot read it, the line cleaner's second opinion runs
    extract.extract_html("<p>" + "A sentence with words in it. " * 10 + "</p>", config)
    assert seen == [config.clean]


def test_show_uses_the_config_of_the_run_that_wrote_the_document(raw_corpus, tmp_path, capsys):
    out = tmp_path / "out"
    keep_all = Config(clean=CleanConfig(keep_threshold=0.0))
    paths = discover(raw_corpus)
    pipeline.process_shard(str(raw_corpus), str(out), "k", paths, {}, keep_all)
    seed = next(p for p in paths if p.endswith(".txt"))

    def removed_lines() -> int:
        assert cli.main(["show", seed, "--raw", str(raw_corpus), "--out", str(out)]) == 0
        return capsys.readouterr().out.count("- [")

    default_removed = removed_lines()  # no run record: the defaults
    record = {"config": keep_all.to_dict(), "config_hash": keep_all.digest()}
    store.save_run_record(str(out), "20260101T000000000000Z", record)
    assert removed_lines() < default_removed
