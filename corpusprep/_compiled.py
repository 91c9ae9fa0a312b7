"""Which of corpusprep's modules run compiled (setup.py compiles the text modules with mypyc).

A compiled module sits next to its source and Python imports it first, so an edited source
would be shadowed by the build of the old one. The build records each source's SHA-256 in
``_compiled.json``; when a source no longer matches (or CORPUSPREP_PURE_PYTHON is set), every
compiled module is imported from its source instead: they are built as one group and call
each other directly, so they are never mixed with sources.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).parent
_RECORD = _PACKAGE_DIR / "_compiled.json"
_PURE_ENV = "CORPUSPREP_PURE_PYTHON"


class _SourceFinder(importlib.abc.MetaPathFinder):
    """Imports the named corpusprep modules from their .py files."""

    def __init__(self, modules: set[str]):
        self.modules = modules

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in self.modules:
            return None
        source = _PACKAGE_DIR / f"{fullname.rpartition('.')[2]}.py"
        return importlib.util.spec_from_file_location(fullname, source)


def _recorded() -> dict[str, str]:
    try:
        return json.loads(_RECORD.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _source_digest(module: str) -> str | None:
    """SHA-256 of a module's source; None when it is not there (an install of the builds)."""
    try:
        return hashlib.sha256((_PACKAGE_DIR / f"{module}.py").read_bytes()).hexdigest()
    except OSError:
        return None


def use_sources_if_stale() -> None:
    recorded = _recorded()
    if not recorded:
        return
    changed = [m for m, digest in recorded.items() if _source_digest(m) not in (digest, None)]
    if not changed and not os.environ.get(_PURE_ENV):
        return
    if changed:
        print(
            f"corpusprep: {', '.join(f'{m}.py' for m in changed)} changed since it was compiled;"
            " running the Python sources (make compiles them again)",
            file=sys.stderr,
        )
        os.environ[_PURE_ENV] = "1"  # worker processes take the sources without a second word
    sys.meta_path.insert(0, _SourceFinder({f"corpusprep.{m}" for m in recorded}))


def compiled_modules() -> list[str]:
    """The corpusprep modules that run compiled in this process (imports them)."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    names = []
    for m in _recorded():
        module = importlib.import_module(f"corpusprep.{m}")
        if str(module.__file__).endswith(suffixes):
            names.append(m)
    return names
