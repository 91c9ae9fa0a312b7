"""The benchmark's memory sampler: it must see the whole process tree of a run."""

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import bench  # noqa: E402

HELD = 64 << 20
# A child that starts a grandchild holding HELD bytes (written, so they are resident).
GRANDCHILD = f"import time; b = b'x' * {HELD}; time.sleep(2)"
CHILD = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {GRANDCHILD!r}])"


def test_tree_memory_counts_grandchildren():
    proc = subprocess.Popen([sys.executable, "-c", CHILD])
    memory = bench.TreeMemory(proc.pid)
    memory.start()
    try:
        time.sleep(1.2)  # the grandchild is up and holds its bytes
        tree = bench._tree(proc.pid)
        assert len(tree) == 2
        assert sorted(tree) == sorted(bench._tree_by_parent(proc.pid))
    finally:
        proc.wait()
        memory.stop()
    assert memory.peak_rss >= HELD
    assert memory.peak_pss >= HELD
