"""Writing generated files: safe names, atomic writes, and whole output sets.

Every renderer builds its files in memory as a mapping of relative paths to content, then hands
the mapping to `write_outputs()`:

    files = {"program.ics": b"...", "pairs/ana-ben.ics": b"..."}
    write_outputs("build/", files)

- `safe_name(text)` turns any text (an id, a person's name, a pair id from a spreadsheet) into
  one file-name component that cannot leave its directory, hide itself or collide with a
  reserved device name. Ids that are already safe come back unchanged.
- `write_atomic(path, data)` replaces one file so that readers see the old or the new content,
  never half of it.
- `write_outputs(root, files)` writes a whole set, all or nothing: every file is first written to
  a temporary file beside its target, and only when all of them are written are they renamed
  into place, each old file kept (hard-linked) until the last rename has succeeded. A failure at
  any point, a rename included, puts every file back as it was and removes what the run added.
  Relative paths are checked component by component and against symlinks, so nothing is
  written outside `root`. `root` and the folders inside it are created as needed.
- Temporary files (staged files, backups, the commit journal) are named `.NAME.PID-XXXXXXXX.tmp`.
  A run that was killed leaves some behind; the next run that writes into the same folder first
  undoes a commit the killed run left half done (from its journal: backups put back, added files
  removed), then removes the temporaries whose process is gone (and the `.NAME.XXXXXXXX.tmp`
  files older versions made for the files it writes).
  With `owner="build"` the set is recorded in `root/.programdsl-build`, and the files the
  previous set of that owner had but this one has not (a removed survey's form) are deleted, so
  the directory never hands out documents that no longer follow the program. Files programdsl
  did not write, and files changed since it wrote them, are never deleted.

The library never prints: problems are raised as `OutputError` (a ValueError) or `OSError`;
`describe_os_error` words an OSError for a person without quoting paths programdsl chose.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Union

Content = Union[bytes, str]

MAX_NAME = 100
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SAFE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")
# Names Windows reserves whatever the extension (CON.ics is the console there).
_RESERVED = {"con", "prn", "aux", "nul", "clock$", "conin$", "conout$"} | {
    f"{device}{n}" for device in ("com", "lpt") for n in "123456789"
}


class OutputError(ValueError):
    """A file name or path that would be unsafe to write."""


class OutputLocked(OutputError):
    """Another programdsl run is writing into the same output folder (it holds the folder's lock)."""


def _reserved(name: str) -> bool:
    return name.split(".", 1)[0].lower() in _RESERVED


def is_safe_name(name: str) -> bool:
    """True for a name `safe_name` would return unchanged."""
    return (bool(_SAFE.fullmatch(name)) and len(name) <= MAX_NAME and not name.endswith(".")
            and ".." not in name and not _reserved(name))


def safe_name(text: str, max_length: int = 60) -> str:
    """One safe file-name component for `text` (add the extension yourself).

    Letters, digits, `-`, `_` and `.` are kept; any other run of characters becomes `-`; leading
    dots and dashes go. When anything had to change (or the name is empty, too long or a reserved
    device name) a short hash of the original text is appended, so different texts still get
    different names: `safe_name("ana-ben") == "ana-ben"`, `safe_name("../../etc")` is
    `"etc-<hash>"`, `safe_name("Ana & Ben")` is `"Ana-Ben-<hash>"`.
    """
    cleaned = _UNSAFE.sub("-", text)
    cleaned = re.sub(r"\.{2,}", ".", cleaned)
    cleaned = re.sub(r"-{2,}", "-", cleaned).strip("-.")
    cleaned = cleaned[:max_length].rstrip("-.")
    if cleaned == text and cleaned and not _reserved(cleaned) and len(cleaned) <= max_length:
        return cleaned
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    name = f"{cleaned}-{digest}" if cleaned else f"unnamed-{digest}"
    return f"_{name}" if _reserved(name) else name


def safe_path(root: str | os.PathLike[str], relative: str) -> Path:
    """`root/relative`, refusing anything that could land outside `root`.

    `relative` is a `/`-separated path whose every component must already be a safe name (build
    them with `safe_name`); absolute paths, `..`, backslashes and empty components are refused.
    Existing symlinks that lead out of `root` are refused too.
    """
    if not relative or relative.startswith("/") or "\\" in relative or ":" in relative:
        raise OutputError(f"unsafe output path {relative!r}")
    parts = relative.split("/")
    for part in parts:
        if not is_safe_name(part):
            raise OutputError(f"unsafe output path {relative!r}: {part!r} is not a safe file name")
    base = Path(root).resolve()
    target = base.joinpath(*parts)
    real_parent = target.parent.resolve()
    if real_parent != base and base not in real_parent.parents:
        raise OutputError(f"output path {relative!r} leads outside {base}")
    if target.is_symlink() or target.is_dir():
        raise OutputError(f"output path {relative!r} is a link or a directory; remove it first")
    if _special(target):
        raise OutputError(f"output path {relative!r} is a pipe, socket or device, not a file; remove it first")
    return target


def _special(path: Path) -> bool:
    """Whether something other than a regular file, a link or a folder stands at `path`: replacing
    a device (`-o /dev/null` run as root) or a pipe with a file is never what was meant."""
    import stat

    try:
        mode = os.lstat(path).st_mode
    except (OSError, ValueError):
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISLNK(mode) or stat.S_ISDIR(mode))


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


# `.NAME.PID-XXXXXXXX.tmp` (this version) or `.NAME.XXXXXXXX.tmp` (tempfile.mkstemp, older ones).
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?:(?P<pid>\d+)-[0-9a-f]{8}|[a-z0-9_]{8})\.tmp$")


def _temporary_beside(target: Path) -> tuple[int, Path]:
    """A new, empty temporary file beside `target`, open for writing."""
    for _ in range(100):
        path = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target.parent))


def _stage(target: Path, data: Content, sync: bool = True) -> Path:
    """Write `data` to a new temporary file beside `target` and return its path. The folder
    must exist: creating it is the caller's decision."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, name = _temporary_beside(target)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            if sync:
                os.fsync(stream.fileno())
        os.chmod(name, _mode_for(target))
    except BaseException:
        name.unlink(missing_ok=True)
        raise
    return name


def _mode_for(target: Path) -> int:
    """The permissions a replaced file keeps; a new file (or a link standing where it goes: its
    target's mode, /dev/zero's 0666, is not ours to copy) gets the umask's."""
    import stat

    try:
        info = os.lstat(target)
    except OSError:
        return _default_mode()
    return stat.S_IMODE(info.st_mode) & 0o777 if stat.S_ISREG(info.st_mode) else _default_mode()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's live process, or a pid we cannot ask about: leave its files
    return True


def remove_stray_temporaries(directory: Path, names: set[str] | None = None) -> list[str]:
    """Remove the temporary files a killed run left in `directory`: ours whose process is gone,
    and older-style ones for the file names in `names`. Returns the names removed."""
    removed: list[str] = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if match is None:
            continue
        pid = match.group("pid")
        if pid is not None:
            if _alive(int(pid)):
                continue
        elif names is None or match.group("name") not in names:
            continue
        try:
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(entry.name)
        except OSError:
            pass  # not ours to insist on; the next run tries again
    return removed


def _read_bookkeeping(path: Path) -> str | None:
    """The text of a file programdsl keeps in an output folder (a record, a commit journal), or
    None when it is not a regular file of at most `limits.OUTPUT_RECORD_BYTES`. The folder may be
    in a repository: a link planted under the name (to /dev/zero, to a secret) is not followed,
    and a pipe does not block."""
    import stat

    from . import limits

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(os.dup(fd), "rb") as stream:
            data = stream.read(limits.OUTPUT_RECORD_BYTES + 1)
        return data.decode("utf-8") if len(data) <= limits.OUTPUT_RECORD_BYTES else None
    except (OSError, UnicodeDecodeError):
        return None
    finally:
        os.close(fd)


def _sync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform; the data itself is already synced
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: str | os.PathLike[str], data: Content) -> Path:
    """Replace the file at `path` with `data` (str is written as UTF-8) in one step. The folder
    must exist (FileNotFoundError otherwise): a mistyped folder is not created silently."""
    target = Path(path)
    if "\x00" in os.fspath(path):
        raise OutputError("the path holds a NUL character, which no file name can have")
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "it is a folder", os.fspath(path))
    if _special(target):
        raise OutputError("it is a pipe, socket or device, not a file; programdsl writes regular files only")
    remove_stray_temporaries(target.parent, {target.name})
    staged = _stage(target, data)
    try:
        os.replace(staged, target)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    _sync_directory(target.parent)
    return target


@dataclass(frozen=True)
class Written:
    """What `write_outputs` did: the paths written, in the mapping's order; the relative paths
    of the previous set's files it removed; and those it kept because they changed since."""

    paths: list[Path]
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def write_outputs(root: str | os.PathLike[str], files: Mapping[str, Content], owner: str | None = None) -> Written:
    """Write every file of an output set under `root`, all or nothing as far as the OS allows.

    Keys are relative `/`-separated paths made of safe names; values are bytes or text. Nothing
    is renamed into place until every file has been written, so an error (a bad name, a full
    disk) leaves the previous set as it was. With an `owner`, files of that owner's previous set
    that this set no longer has are removed afterwards (see the module's description).
    """
    if "\x00" in os.fspath(root):
        raise OutputError("the output folder's path holds a NUL character, which no file name can have")
    targets: list[Path] = []
    seen: dict[str, str] = {}
    for relative in files:
        target = safe_path(root, relative)
        folded = str(target).casefold()  # case-insensitive file systems would merge these
        if folded in seen:
            raise OutputError(f"output paths {seen[folded]!r} and {relative!r} name the same file")
        seen[folded] = relative
        targets.append(target)
    created = _make_folders(Path(root), {t.parent for t in targets})
    try:
        lock = _lock(Path(root))
    except BaseException:
        _remove_folders(created)
        raise
    try:
        return _write_set(Path(root), files, targets, created, owner)
    finally:
        os.close(lock)  # closing releases the lock; the file stays (removing it would race)


def _write_set(root: Path, files: Mapping[str, Content], targets: list[Path], created: list[Path],
               owner: str | None) -> Written:
    """`write_outputs` once it holds the folder's lock."""
    _recover(root)
    try:
        for directory in sorted({t.parent for t in targets}):
            remove_stray_temporaries(directory, {t.name for t in targets if t.parent == directory})
        staged: list[Path] = []
        try:
            for target, data in zip(targets, files.values()):
                staged.append(_stage(target, data, sync=False))
            # fsync waits on the disk and releases the GIL: syncing the set in parallel makes a
            # many-file build several times faster than syncing each file as it is written.
            with ThreadPoolExecutor(max_workers=16) as pool:
                list(pool.map(_sync_file, staged))
        except BaseException:
            for path in staged:
                path.unlink(missing_ok=True)
            raise
        _commit(root, list(zip(staged, targets)))
    except BaseException:
        if root in created:
            (root / LOCK).unlink(missing_ok=True)  # a folder this run made holds nothing else
        _remove_folders(created)
        raise
    for directory in sorted({t.parent for t in targets}):
        _sync_directory(directory)
    if owner is None:
        return Written(targets)
    record = root / f".programdsl-{owner}"
    removed, kept = _remove_stale(root, _recorded(record), {str(t).casefold(): t for t in targets})
    if _special(record):
        record.unlink()  # a pipe planted under the record's name: the name is ours
    # Recorded after the removal: an interruption in between leaves names that are already gone.
    listing = "".join(f"{_digest(data)}  {relative}\n" for relative, data in sorted(files.items()))
    write_atomic(record, f"# Files `programdsl {owner}` wrote here (sha256sum format). Its next run removes\n"
                         f"# those it no longer writes, unless they were changed since.\n{listing}")
    return Written(targets, removed, kept)


LOCK = ".programdsl-lock"


def _lock(root: Path) -> int:
    """Take the output folder's advisory lock (`root/.programdsl-lock`, fcntl.flock) without
    waiting, and return its descriptor: two runs committing into one folder at once would mix
    their sets. Raises OutputLocked when another run has it. The file stays empty, so the folder
    is the same after every run."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows has no flock; each commit still rolls back alone
        return os.open(os.devnull, os.O_RDONLY)
    path = root / LOCK
    # O_NOFOLLOW: a link planted under the lock's name must not make us create or write a file elsewhere.
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o644)
    try:
        import stat

        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OutputError(f"{LOCK} in the output folder is not a regular file; remove it")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputLocked("another programdsl run is writing into this folder") from None
    except BaseException:
        os.close(fd)
        raise
    return fd


def _remove_folders(created: list[Path]) -> None:
    for directory in sorted(created, key=lambda p: len(p.parts), reverse=True):
        try:
            directory.rmdir()
        except OSError:
            pass


def _make_folders(root: Path, folders: set[Path]) -> list[Path]:
    """Create `root` and the folders the set needs; returns those created, to undo on failure."""
    created: list[Path] = []
    for folder in sorted(folders | {root}, key=lambda p: len(p.parts)):
        missing: list[Path] = []
        probe = folder
        while not probe.exists() and probe != probe.parent:
            missing.append(probe)
            probe = probe.parent
        for path in reversed(missing):
            path.mkdir(exist_ok=True)
            created.append(path)
    return created


JOURNAL = "programdsl-commit"


def _commit(root: Path, moves: list[tuple[Path, Path]]) -> None:
    """Rename every staged file onto its target, all or none.

    Every existing target is first hard-linked (copied where links are not possible) to a backup
    beside it, and a journal in `root` lists each target with its backup (or as new). Then the
    renames run; removing the journal is the moment the new set is committed, and only then do
    the backups go. A rename that fails puts back the files already replaced; a run killed
    before the journal is removed is undone the same way by the next run (`_recover`)."""
    backups: list[Path | None] = []
    journal: Path | None = None
    done = 0
    try:
        for _temporary, target in moves:
            backups.append(_backup(target) if target.exists() else None)
        journal = _write_journal(root, [(target, backup) for (_t, target), backup in zip(moves, backups)])
        for temporary, target in moves:
            os.replace(temporary, target)
            done += 1
    except BaseException:
        for (_temporary, target), backup in reversed(list(zip(moves, backups))[:done]):
            try:
                if backup is not None:
                    os.replace(backup, target)
                else:
                    target.unlink(missing_ok=True)
            except OSError:
                pass  # keep undoing the rest; the journal stays for the next run to finish
        for temporary, _target in moves[done:]:
            temporary.unlink(missing_ok=True)
        for backup in backups:
            if backup is not None:
                backup.unlink(missing_ok=True)
        if journal is not None:
            journal.unlink(missing_ok=True)
        raise
    assert journal is not None
    journal.unlink()
    _sync_directory(root)
    for backup in backups:
        if backup is not None:
            backup.unlink(missing_ok=True)


def _write_journal(root: Path, entries: list[tuple[Path, Path | None]]) -> Path:
    base = root.resolve()  # targets come resolved from safe_path
    lines = "".join(f"{target.relative_to(base).as_posix()}\t{backup.name if backup else ''}\n"
                    for target, backup in entries)
    handle, path = _temporary_beside(root / JOURNAL)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(lines)
        stream.flush()
        os.fsync(stream.fileno())
    _sync_directory(root)
    return path


def _recover(root: Path) -> None:
    """Undo a commit that a killed run left half done: each journal of a process that is gone
    lists the targets it was replacing; put back their backups and remove the files it added,
    so the folder holds exactly the set before that run."""
    try:
        journals = [entry for entry in os.scandir(root) if entry.name.startswith(f".{JOURNAL}.")]
    except OSError:
        return
    base = root.resolve()
    for entry in journals:
        match = _TEMPORARY.match(entry.name)
        if match is None or match.group("name") != JOURNAL or match.group("pid") is None or _alive(int(match.group("pid"))):
            continue
        text = _read_bookkeeping(Path(entry.path))
        if text is None:
            continue  # not a journal programdsl wrote: leave it for a person to look at
        lines = text.splitlines()
        for line in lines:
            relative, _, backup_name = line.partition("\t")
            try:
                target = safe_path(root, relative)
            except OutputError:
                continue  # not a name programdsl writes: leave it alone
            try:
                if backup_name:
                    backup = target.with_name(backup_name)
                    if _TEMPORARY.match(backup_name) and backup.is_file():
                        os.replace(backup, target)
                else:
                    target.unlink(missing_ok=True)
                    for folder in target.parents:  # folders the killed run made for new files
                        if folder == base or base not in folder.parents:
                            break
                        remove_stray_temporaries(folder)  # the killed run's staged files
                        folder.rmdir()
            except OSError:
                pass
        Path(entry.path).unlink(missing_ok=True)


def _backup(target: Path) -> Path:
    handle, backup = _temporary_beside(target)
    os.close(handle)
    try:
        os.unlink(backup)
        os.link(target, backup)
    except OSError:
        shutil.copy2(target, backup)  # no hard links on this file system
    return backup


def describe_os_error(error: OSError) -> str:
    """What went wrong writing a file, in words, without the path (the caller names it)."""
    reasons = {
        errno.ENOENT: "the folder does not exist",
        errno.EROFS: "the file system is read-only",
        errno.ENOSPC: "there is no space left on the device",
        errno.EACCES: "permission denied",
        errno.EPERM: "the operation is not permitted (the file may be immutable or in use)",
        errno.EISDIR: "it is a folder",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.ENAMETOOLONG: "the name is too long",
        errno.EXDEV: "the temporary file and the target are on different file systems",
        errno.ELOOP: "a link stands where programdsl writes a file; remove it",
    }
    quota = getattr(errno, "EDQUOT", None)
    if quota is not None:
        reasons[quota] = "the disk quota is exceeded"
    return reasons.get(error.errno or 0) or (error.strerror or type(error).__name__).lower()


def write_failure(error: OSError | ValueError, target: str, what: str) -> str:
    """Compiler-style lines (the problem, then its hint) for an output that could not be written:
    `target` is the path as the user gave it, `what` names the output ("the pairs")."""
    reason = describe_os_error(error) if isinstance(error, OSError) else str(error)
    failed = getattr(error, "filename2", None) or getattr(error, "filename", None)
    if isinstance(failed, str):
        name = os.path.basename(failed)
        temporary = _TEMPORARY.match(name)
        name = temporary.group("name") if temporary else name  # the file, not our temporary copy
        if name != os.path.basename(target):  # one of a set: say which
            reason = f"{name}: {reason}"
    hint = {
        errno.ENOENT: "create the folder first, or give a path inside an existing folder",
        errno.EROFS: "write to a folder on a writable file system",
        errno.ENOSPC: "free some space, or write somewhere else",
        errno.EACCES: "check the permissions of the output folder",
    }.get(getattr(error, "errno", None) or 0, "check the output path")
    if getattr(error, "errno", None) == errno.ENOENT and os.path.isdir(os.path.dirname(os.path.abspath(target))):
        reason, hint = "files cannot be created in this folder", "write into an ordinary folder (not /proc or /sys)"
    from .terminal import visible

    if isinstance(error, OutputLocked):
        return (f"{visible(target)}: error[PD051]: cannot write {what}: {visible(reason)}; nothing was replaced\n"
                "  hint: wait for the other run to finish, or write into another folder")
    return f"{visible(target)}: error[PD034]: cannot write {what}: {visible(reason)}; nothing was replaced\n  hint: {hint}"


def _digest(data: Content) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _file_digest(path: Path) -> str:
    """sha256 of a file, read in pieces (a file someone left in the folder may be large)."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _recorded(record: Path) -> dict[str, str]:
    """Relative path -> sha256 of the content written there, from an earlier run's record."""
    text = _read_bookkeeping(record)
    if text is None:
        return {}  # no usable record: nothing is removed
    entries = (line.split("  ", 1) for line in text.splitlines() if line and not line.startswith("#"))
    return {entry[1]: entry[0] for entry in entries if len(entry) == 2}


def _written_now(target: Path, current: dict[str, Path]) -> bool:
    """Whether `target` is one of the files just written; on a case-insensitive file system
    `Ana.ics` is the same file as a new `ana.ics`, on others it is not."""
    twin = current.get(str(target).casefold())
    if twin is None:
        return False
    try:
        return twin == target or os.path.samefile(twin, target)
    except OSError:
        return True


def _remove_stale(root: Path, previous: dict[str, str], current: dict[str, Path]) -> tuple[list[str], list[str]]:
    """Delete the previously written files the current set no longer has, and the directories
    that leaves empty. Returns (removed, kept): a file whose content changed since it was written
    (survey responses collected into a form's CSV), or that cannot be read or removed, is kept.
    A record edited by hand cannot reach outside `root`: every name goes through `safe_path`,
    and only plain files are considered."""
    removed: list[str] = []
    kept: list[str] = []
    emptied: set[Path] = set()
    inside = root.resolve()
    for relative, digest in sorted(previous.items()):
        try:
            target = safe_path(root, relative)
        except OutputError:
            continue
        if not target.is_file() or _written_now(target, current):
            continue
        try:
            changed = _file_digest(target) != digest
            if not changed:
                target.unlink()
        except OSError:  # unreadable or busy: leave it, and say so, rather than fail a finished build
            changed = True
        (kept if changed else removed).append(relative)
        emptied.update(p for p in target.parents if inside in p.parents)
    for directory in sorted(emptied, key=lambda p: len(p.parts), reverse=True):
        try:
            directory.rmdir()
        except OSError:
            pass  # not empty: something else lives there
    return removed, kept


__all__ = ["OutputError", "OutputLocked", "Written", "describe_os_error", "is_safe_name", "remove_stray_temporaries", "safe_name",
           "safe_path", "write_atomic", "write_outputs"]
