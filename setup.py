"""Build step: compile corpusprep's text modules with mypyc (everything else is in pyproject.toml).

The compiled modules run the same source ~15% faster (docs/decisions.md, "The text modules are
compiled with mypyc"). Without a C compiler, or with CORPUSPREP_PURE_PYTHON=1, the install goes
on with the Python sources. Next to the compiled modules the build writes ``_compiled.json``,
the SHA-256 of each source it compiled: ``corpusprep/__init__.py`` runs the Python source
instead of a compiled module whose source has changed since.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

PACKAGE = "corpusprep"
# Pure text processing, no I/O: the per-line work of a document.
COMPILED = ("clean", "segment", "signals", "stopwords", "textmeta")
RUNTIME = "compiled"  # mypyc's shared library for the group: corpusprep/compiled__mypyc.*.so
RECORD = "_compiled.json"


def source_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class BuildExtWithRecord(build_ext):
    """build_ext that records what it compiled, and leaves nothing stale when a compile fails."""

    def run(self) -> None:
        names = [f"{PACKAGE}.{m}" for m in COMPILED] + [f"{PACKAGE}.{RUNTIME}__mypyc"]
        outputs = [Path(self.get_ext_fullpath(n)) for n in names]
        record = outputs[0].with_name(RECORD)
        record.unlink(missing_ok=True)
        super().run()
        if not all(p.exists() for p in outputs):
            # a module failed to compile (extensions are optional): the sources run, all of them
            for p in outputs:
                p.unlink(missing_ok=True)
            print(f"{PACKAGE}: compiling with mypyc failed; the Python sources will run")
            return
        digests = {m: source_digest(Path(PACKAGE, f"{m}.py")) for m in COMPILED}
        record.write_text(json.dumps(digests, indent=1) + "\n", encoding="utf-8")


def compiled_extensions() -> list:
    if os.environ.get("CORPUSPREP_PURE_PYTHON"):
        return []
    paths = [f"{PACKAGE}/{m}.py" for m in COMPILED]
    try:
        from mypyc.build import mypycify

        extensions = mypycify(
            ["--ignore-missing-imports", *paths], opt_level="3", group_name=f"{PACKAGE}.{RUNTIME}"
        )
    except (ImportError, SystemExit) as e:  # no mypyc, or mypy found type errors (printed above)
        print(f"{PACKAGE}: not compiled ({e!r}); the Python sources will run")
        return []
    for ext in extensions:
        ext.optional = True  # no compiler: a warning, and the install goes on
    return extensions


setup(ext_modules=compiled_extensions(), cmdclass={"build_ext": BuildExtWithRecord})
