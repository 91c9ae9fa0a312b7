"""The text modules compiled by setup.py (mypyc) against their Python sources."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import corpusprep
from corpusprep._compiled import _PURE_ENV, _recorded

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus_raw").glob("*.txt"))]
    for name in ("golden_rules_en.jsonl", "golden_rules_multilingual.jsonl"):
        lines = (FIXTURES / "sentences" / name).read_text(encoding="utf-8").splitlines()
        texts += [json.loads(line)["text"] for line in lines if line.strip()]
    return texts


def probe(texts: list[str]) -> str:
    """Every public result of the compiled modules on `texts`, as text (where 1 and 1.0 differ:
    a compiled module stores an int given to a float field as a float)."""
    from corpusprep.clean import clean_text, line_keys, repeat_threshold
    from corpusprep.config import Config
    from corpusprep.segment import split_sentences
    from corpusprep.signals import count_words, detect_language
    from corpusprep.textmeta import find_author, find_date, from_removed, site_of

    counts: dict[int, int] = {}
    for t in texts:
        for k in line_keys(t):
            counts[k] = counts.get(k, 0) + 1
    repeated = frozenset(k for k, n in counts.items() if n >= 2)
    out = [repr(Config()), Config().digest(), repeat_threshold(len(texts)), sorted(repeated)]
    for t in texts:
        cleaned = clean_text(t, repeated=repeated)
        language = detect_language(cleaned.text)
        out.append(
            [
                repr(cleaned),
                repr(clean_text(t, fmt="html")),
                language,
                count_words(cleaned.text),
                split_sentences(cleaned.text, language[0]),
                split_sentences(t),
                from_removed(cleaned.removed, 0),
                [(find_date(s), find_author(s)) for s in t.splitlines()[:300]],
                site_of(t.split()[0] if t.split() else None),
            ]
        )
    return repr(out)


def _run_python(code: str, env_extra: dict[str, str], path: Path = ROOT, stdin: str = ""):
    env = {k: v for k, v in os.environ.items() if k != _PURE_ENV} | env_extra
    env["PYTHONPATH"] = os.pathsep.join([str(path), str(Path(__file__).parent)])
    return subprocess.run(
        [sys.executable, "-c", code],
        input=stdin,
        env=env,
        cwd=path,
        capture_output=True,
        text=True,
        check=True,
    )


def test_text_modules_run_compiled_unless_told_not_to():
    if os.environ.get(_PURE_ENV):
        assert corpusprep.compiled_modules() == []
        return
    assert sorted(corpusprep.compiled_modules()) == sorted(_recorded()), (
        "setup.py did not compile the text modules: run `make` and read what mypyc printed, "
        f"or set {_PURE_ENV}=1 to run the Python sources"
    )
    assert "clean" in corpusprep.compiled_modules()


def test_compiled_and_source_modules_give_the_same_results():
    texts = _texts()
    assert len(texts) > 100
    code = (
        "import json, sys; import corpusprep; from test_compiled import probe;"
        " texts = json.load(sys.stdin);"
        " print(json.dumps([corpusprep.compiled_modules(), probe(texts)]))"
    )
    runs = {}
    for pure in ("", "1"):
        done = _run_python(code, {_PURE_ENV: pure} if pure else {}, stdin=json.dumps(texts))
        runs[pure] = json.loads(done.stdout)
    assert runs["1"][0] == []  # the sources ran
    assert runs[""][1] == runs["1"][1]


def test_an_edited_source_runs_instead_of_its_stale_build(tmp_path):
    package = tmp_path / "corpusprep"
    shutil.copytree(ROOT / "corpusprep", package, ignore=shutil.ignore_patterns("__pycache__"))
    digests = _recorded() or {"clean": "0" * 64}
    (package / "_compiled.json").write_text(json.dumps(digests), encoding="utf-8")
    code = (
        "import json, corpusprep, corpusprep.clean, corpusprep.segment;"
        " print(json.dumps([corpusprep.compiled_modules(), corpusprep.clean.__file__,"
        " corpusprep.segment.__file__]))"
    )
    with (package / "clean.py").open("a", encoding="utf-8") as f:
        f.write("\nEDITED = True\n")
    done = _run_python(code + "; print(corpusprep.clean.EDITED)", {}, tmp_path)
    compiled, clean_file, segment_file = json.loads(done.stdout.splitlines()[0])
    assert compiled == []
    assert clean_file == str(package / "clean.py")
    assert segment_file == str(package / "segment.py")  # the whole group runs as source
    assert done.stdout.splitlines()[1] == "True"
    assert "clean.py changed since it was compiled" in done.stderr
