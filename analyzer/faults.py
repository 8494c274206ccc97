"""Fault injection at write steps, for the reliability tests; inert unless asked for.

Every step that writes saved state or outputs calls :func:`checkpoint` with its name. When the
environment variable ``SHIFT_ANALYZER_FAULT`` is ``<step>:kill`` the process kills itself
there (SIGKILL: no clean-up runs, as with ``kill -9`` or a power cut); ``<step>:enospc`` raises
the OSError a full disk raises. The tests use it to prove that a run killed or failed at any
step leaves the previous outputs or the new ones, never a mix. Unset, a checkpoint costs one
dictionary lookup.
"""

from __future__ import annotations

import errno
import os
import signal

ENV = "SHIFT_ANALYZER_FAULT"


def checkpoint(step: str) -> None:
    """Fail here when ``SHIFT_ANALYZER_FAULT`` names this step (see the module docstring)."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    name, _, mode = wanted.rpartition(":")
    if name != step:
        return
    if mode == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), f"(injected at {step})")
