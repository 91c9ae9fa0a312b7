"""Start-up of the pipeline's worker processes.

The flow's forkserver imports this module once; every worker is then forked from a process
that has already imported the stages and loaded the language model (~0.8 s a process
otherwise), and shares those pages copy-on-write.
"""

# Imported for their side effect: the stages load, trafilatura and the language model too.
from corpusprep import extract, pipeline  # noqa: F401
from corpusprep.signals import warm_up

warm_up()
