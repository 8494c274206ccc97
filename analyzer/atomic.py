"""Whole folders written atomically: a reader sees the previous folder or the new one, never a mix.

A run writes every file into a fresh temporary sibling (``.<name>.tmp-XXXX``, made by
:func:`tempfile.mkdtemp`: private, never a pre-planted path), then swaps it into place with one
``renameat2(RENAME_EXCHANGE)`` (Linux; elsewhere two renames, between which the folder is briefly
absent, never half-written). The previous folder waits as ``.<name>.old-XXXX`` until the caller
finalizes, so a later failure can put it back. Leftovers of killed runs (``.<name>.tmp-*``,
``.<name>.old-*``) are removed by the next run. Runs on one folder are serialized by an
exclusive lock on the parent folder.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from analyzer import faults
from analyzer.errors import InputError

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2() -> object | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        return libc.renameat2
    except (OSError, AttributeError):
        return None


_EXCHANGE = _renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one step; False when the system cannot (then nothing moved)."""
    if _EXCHANGE is None:
        return False
    result = _EXCHANGE(  # type: ignore[operator]
        _AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def writable_ancestor(folder: Path) -> Path:
    """The nearest existing folder at or above ``folder``; an InputError when it is not
    writable (so the folder could not be created or written)."""
    probe = folder.absolute()
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
        raise InputError(
            f"Cannot write in {probe} (permission denied or not a folder). Choose a folder you "
            "can write to."
        )
    return probe


def write_file(path: Path, text: str) -> None:
    """Write one file whole: into a fresh private temporary file beside it (never a pre-planted
    name or a symbolic link), then renamed over ``path``. A symbolic link at ``path`` is
    refused rather than followed or replaced."""
    if path.is_symlink():
        raise InputError(f"{path} is a symbolic link. Pass the file path it points to.")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(name, _default_mode() & 0o666)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def leftovers(target: Path) -> list[Path]:
    """Temporary and previous folders that killed runs left beside ``target``."""
    parent, name = target.parent, target.name
    if not parent.is_dir():
        return []
    found: list[Path] = []
    for prefix in (f".{name}.tmp-", f".{name}.old-"):
        found.extend(p for p in parent.iterdir() if p.name.startswith(prefix))
    return sorted(found)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _recover(target: Path) -> None:
    """Clear what killed runs left beside ``target``. A run killed between the two renames of
    a swap (systems without RENAME_EXCHANGE) left no ``target``: its previous folder returns."""
    found = leftovers(target)
    previous = [p for p in found if p.name.startswith(f".{target.name}.old-") and p.is_dir()]
    if not target.exists() and not target.is_symlink() and previous:
        newest = max(previous, key=lambda p: p.stat().st_mtime)
        os.rename(newest, target)
        found.remove(newest)
    for path in found:
        _remove(path)


@contextmanager
def folder_lock(parent: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``parent`` (an existing folder) for the block."""
    fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o777 & ~mask


@dataclass
class StagedFolder:
    """A folder being written: ``path`` (the temporary sibling) becomes ``target``.

    Call :meth:`publish` once every file is in ``path``, then :meth:`finalize` (drop the
    previous folder) or :meth:`rollback` (put the previous folder back).
    """

    target: Path
    path: Path
    previous: Path | None = None
    published: bool = False

    def publish(self) -> None:
        """Swap the staged folder into place; the previous one (if any) is kept aside."""
        faults.checkpoint("publish")
        if self.target.exists():
            if exchange(self.path, self.target):
                self.previous = self.path.with_name(self.path.name.replace(".tmp-", ".old-", 1))
                os.rename(self.path, self.previous)
            else:
                self.previous = self.path.with_name(self.path.name.replace(".tmp-", ".old-", 1))
                os.rename(self.target, self.previous)
                os.rename(self.path, self.target)
        else:
            os.rename(self.path, self.target)
        self.published = True
        faults.checkpoint("published")

    def finalize(self) -> None:
        """Remove the previous folder."""
        if self.previous is not None:
            _remove(self.previous)
            self.previous = None

    def rollback(self) -> None:
        """Undo: remove the staged or published folder and restore the previous one."""
        if not self.published:
            _remove(self.path)
            return
        if self.previous is not None and self.previous.exists():
            if not exchange(self.previous, self.target):
                _remove(self.target)
                os.rename(self.previous, self.target)
            else:
                _remove(self.previous)
        else:
            _remove(self.target)
        self.previous = None
        self.published = False


@contextmanager
def staged_folder(target: Path) -> Iterator[StagedFolder]:
    """Lock the parent, clear leftovers of killed runs, and yield a fresh staging folder.

    The block fills ``staged.path`` and calls ``staged.publish()`` (and may call
    ``finalize``); on an exception the previous folder is restored. On a normal exit an
    unpublished staging folder is removed and a published one finalized.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    with folder_lock(target.parent):
        _recover(target)
        path = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
        os.chmod(path, _default_mode())
        staged = StagedFolder(target, path)
        try:
            yield staged
        except BaseException:
            staged.rollback()
            raise
        if staged.published:
            staged.finalize()
        else:
            _remove(staged.path)
