"""All-or-nothing output: a failure mid-way leaves exactly the previous files, and what a killed
run left behind is cleaned up by the next one."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from programdsl import limits, output
from programdsl.cli import main
from programdsl.output import remove_stray_temporaries, write_atomic, write_outputs

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rosters"


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


OLD = {"charter.md": b"old charter", "guides/mentor.md": b"old guide", "guides/mentee.md": b"old mentee guide",
       "index.md": b"old index"}
NEW = {"charter.md": b"new charter", "guides/mentor.md": b"new guide", "guides/mentee.md": b"new mentee guide",
       "index.md": b"new index", "forms/closing/mentor.md": b"a new form"}


@pytest.mark.parametrize("fail_at", [0, 1, 3, 4])
def test_a_rename_failing_mid_way_rolls_back_every_earlier_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               fail_at: int) -> None:
    out = tmp_path / "out"
    write_outputs(out, OLD, owner="build")
    before = snapshot(out)
    real_replace = os.replace
    calls = {"n": 0}

    def flaky(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(src).name.endswith(".tmp") and not Path(dst).name.endswith(".tmp"):
            calls["n"] += 1
            if calls["n"] == fail_at + 1:  # one rename fails (an immutable file); undoing works
                raise PermissionError(errno.EPERM, "Operation not permitted", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(PermissionError):
        write_outputs(out, NEW, owner="build")
    monkeypatch.setattr(os, "replace", real_replace)
    assert snapshot(out) == before, "exactly the previous output, no temporaries, no new folders"
    assert not (out / "forms").exists()


def test_a_failure_while_staging_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_outputs(out, OLD)
    before = snapshot(out)

    def full(path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output, "_sync_file", full)
    with pytest.raises(OSError):
        write_outputs(out, NEW)
    assert snapshot(out) == before


def test_a_first_build_that_fails_removes_the_folders_it_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(src: str, dst: str) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_outputs(tmp_path / "new" / "out", NEW)
    assert not (tmp_path / "new").exists()


def test_stray_temporaries_of_a_killed_run_are_removed_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs(out, OLD)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)  # a process that has ended
    strays = [out / f".charter.md.{pid}-0a1b2c3d.tmp", out / "guides" / f".mentor.md.{pid}-deadbeef.tmp",
              out / ".index.md.k2j4_x9q.tmp"]  # the last in the style of older versions
    for stray in strays:
        stray.write_bytes(b"half a file")
    live = out / f".charter.md.{os.getppid()}-00000000.tmp"  # a live process's: a concurrent run
    live.write_bytes(b"in progress")
    mine = out / "notes.txt.k2j4_x9q.tmp"  # not a programdsl name: never touched
    mine.write_bytes(b"user data")
    write_outputs(out, NEW)
    assert not any(stray.exists() for stray in strays)
    assert live.exists() and mine.exists()
    assert snapshot(out)["charter.md"] == b"new charter"


def test_write_atomic_cleans_its_own_strays_and_keeps_the_folder_rule(tmp_path: Path) -> None:
    target = tmp_path / "pairs.csv"
    (tmp_path / ".pairs.csv.abcdefgh.tmp").write_bytes(b"left by a killed run")
    write_atomic(target, "a,b\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairs.csv"]
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "missing" / "pairs.csv", "a,b\n")
    assert not (tmp_path / "missing").exists()


def test_remove_stray_temporaries_reports_what_it_removed(tmp_path: Path) -> None:
    (tmp_path / ".x.ics.1-00000000.tmp").write_bytes(b"")  # pid 1 is alive: kept
    (tmp_path / ".x.ics.4194303-00000000.tmp").write_bytes(b"")  # no such process
    assert remove_stray_temporaries(tmp_path) == [".x.ics.4194303-00000000.tmp"]


# --- the commands -----------------------------------------------------------------------------------

def test_match_into_a_missing_folder_is_an_error_not_a_mkdir(tmp_path: Path) -> None:
    target = tmp_path / "nonexistent" / "dir" / "p.csv"
    result = CliRunner().invoke(main, ["match", str(FIXTURES / "program.yaml"), str(FIXTURES / "roster.csv"),
                                       "-o", str(target)])
    assert result.exit_code == 2
    assert "does not exist" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "nonexistent").exists()


@pytest.mark.parametrize("code, words", [(errno.EROFS, "the file system is read-only"), (errno.ENOSPC, "there is no space left"),
                                         (errno.EACCES, "permission denied")])
def test_match_write_failures_are_pd034_not_tracebacks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       code: int, words: str) -> None:
    def failing(target: Path, data: object, sync: bool = True) -> Path:
        raise OSError(code, os.strerror(code), str(target.parent / ".p.csv.1-00000000.tmp"))

    monkeypatch.setattr(output, "_stage", failing)
    result = CliRunner().invoke(main, ["match", str(FIXTURES / "program.yaml"), str(FIXTURES / "roster.csv"),
                                       "-o", str(tmp_path / "p.csv")])
    assert result.exit_code == 1, result.output
    assert f"p.csv: error[PD034]: cannot write the pairs: {words}" in result.output
    assert ".tmp" not in result.output and "Traceback" not in result.output


def test_match_under_proc_is_pd034(tmp_path: Path) -> None:
    if not os.path.isdir("/proc/self"):
        pytest.skip("no /proc here")
    result = CliRunner().invoke(main, ["match", str(FIXTURES / "program.yaml"), str(FIXTURES / "roster.csv"),
                                       "-o", "/proc/self/p.csv"])
    assert result.exit_code == 1 and "error[PD034]" in result.output, result.output


def test_build_write_failure_keeps_the_previous_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    program = Path(__file__).resolve().parents[2] / "examples" / "flash-career-questions.yaml"
    out = tmp_path / "out"
    args = ["build", str(program), "-o", str(out), "--format", "md"]
    assert CliRunner().invoke(main, args).exit_code == 0
    before = snapshot(out)
    real_replace = os.replace
    calls = {"n": 0}

    def flaky(src: str, dst: str) -> None:
        calls["n"] += 1
        if calls["n"] == 5:
            raise PermissionError(errno.EPERM, "Operation not permitted", dst)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "error[PD034]" in result.output, result.output
    assert snapshot(out) == before


KILLER = """
import os, signal, sys
from pathlib import Path
from programdsl import limits, output
real = os.replace
count = {"n": 0}
def replace(src, dst):
    real(src, dst)
    if not Path(dst).name.endswith(".tmp"):
        count["n"] += 1
        if count["n"] == int(sys.argv[2]):
            os.kill(os.getpid(), signal.SIGKILL)  # kill -9 between two renames
os.replace = replace
output.write_outputs(sys.argv[1], {NEW!r}, owner="build")
"""


@pytest.mark.parametrize("renames", [1, 3, 5])
def test_a_build_killed_between_renames_is_undone_by_the_next_run(tmp_path: Path, renames: int) -> None:
    out = tmp_path / "out"
    write_outputs(out, OLD, owner="build")
    before = snapshot(out)
    killed = subprocess.run([sys.executable, "-c", KILLER.replace("{NEW!r}", repr(NEW)), str(out), str(renames)],
                            capture_output=True)
    assert killed.returncode == -9, killed.stderr
    assert snapshot(out) != before  # half old, half new, with backups and a journal
    output._recover(out)
    remove_stray_temporaries(out)
    for directory in [p for p in out.rglob("*") if p.is_dir()]:
        remove_stray_temporaries(directory)
    assert snapshot(out) == before
    assert not (out / "forms").exists()
    write_outputs(out, NEW, owner="build")
    after = snapshot(out)
    assert {k: v for k, v in after.items() if not k.startswith(".programdsl-")} == NEW


# --- one run at a time per output folder ------------------------------------------------------------

HOLDER = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.readline()  # hold the lock until the test says so
"""


def test_a_second_run_into_a_folder_being_written_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs(out, OLD, owner="build")
    before = snapshot(out)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(out / output.LOCK)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        with pytest.raises(output.OutputLocked, match="another programdsl run is writing into this folder"):
            write_outputs(out, NEW, owner="build")
        assert snapshot(out) == before
    finally:
        holder.communicate("\n", timeout=30)
    write_outputs(out, NEW, owner="build")  # free again once the other run has ended
    assert {k: v for k, v in snapshot(out).items() if not k.startswith(".programdsl-")} == NEW


def test_the_cli_names_the_locked_folder_with_its_code(tmp_path: Path) -> None:
    import fcntl

    out = tmp_path / "cal"
    out.mkdir()
    fd = os.open(out / output.LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another open file description: flock conflicts within one process too
        result = CliRunner().invoke(main, ["calendar", str(FIXTURES / "program.yaml"), "-o", str(out)])
    finally:
        os.close(fd)
    assert result.exit_code == 1
    assert f"{out}: error[PD051]: cannot write the calendars: another programdsl run is writing into this folder; " \
           "nothing was replaced" in result.output
    assert sorted(p.name for p in out.iterdir()) == [output.LOCK]


def test_a_link_planted_as_the_lock_is_not_followed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    (out / output.LOCK).symlink_to(victim)
    with pytest.raises(OSError):
        write_outputs(out, OLD)
    assert not victim.exists() and sorted(p.name for p in out.iterdir()) == [output.LOCK]


def test_a_first_build_that_cannot_lock_leaves_no_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def busy(root: Path) -> int:
        raise output.OutputLocked("another programdsl run is writing into this folder")

    monkeypatch.setattr(output, "_lock", busy)
    with pytest.raises(output.OutputLocked):
        write_outputs(tmp_path / "new" / "out", NEW)
    assert list(tmp_path.iterdir()) == []


# --- links and pipes planted in the output folder -------------------------------------------------------

@pytest.mark.parametrize("name", [".programdsl-build", ".programdsl-commit.999999999-abcdef12.tmp"])
def test_a_bookkeeping_name_linked_to_an_endless_file_is_not_read(tmp_path: Path, name: str) -> None:
    # The output folder may live in a repository: a link to /dev/zero under the record's or a
    # journal's name used to be read whole (MemoryError).
    out = tmp_path / "out"
    out.mkdir()
    (out / name).symlink_to("/dev/zero")
    write_outputs(out, OLD, owner="build")
    assert {k: v for k, v in snapshot(out).items() if not k.startswith(".programdsl-")} == OLD


def test_a_record_over_the_limit_or_a_pipe_removes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_outputs(out, NEW, owner="build")
    record = out / ".programdsl-build"
    monkeypatch.setattr(limits, "OUTPUT_RECORD_BYTES", 10)
    write_outputs(out, OLD, owner="build")  # the record is too long to trust: the new form stays
    assert (out / "forms" / "closing" / "mentor.md").exists()
    monkeypatch.undo()
    record.unlink()
    os.mkfifo(record)
    write_outputs(out, OLD, owner="build")  # a pipe does not block, and removes nothing
    assert (out / "forms" / "closing" / "mentor.md").exists()


def test_a_link_standing_where_a_file_goes_does_not_lend_its_target_s_mode(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".programdsl-build").symlink_to("/dev/zero")  # 0666
    write_outputs(out, OLD, owner="build")
    mode = (out / ".programdsl-build").stat().st_mode & 0o777
    assert not (out / ".programdsl-build").is_symlink() and mode & 0o002 == 0
    target = tmp_path / "p.csv"
    target.symlink_to("/dev/null")
    write_atomic(target, "pairs\n")
    assert not target.is_symlink() and target.stat().st_mode & 0o002 == 0


def test_a_pipe_or_device_is_never_replaced_by_a_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pairs.csv"
    os.mkfifo(fifo)
    with pytest.raises(output.OutputError, match="pipe, socket or device"):
        write_atomic(fifo, "x\n")
    assert fifo.is_fifo() and [p.name for p in tmp_path.iterdir()] == ["pairs.csv"]
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "charter.md")
    with pytest.raises(output.OutputError, match="pipe, socket or device"):
        write_outputs(out, OLD)
    assert (out / "charter.md").is_fifo()
    # `init -o /dev/null --force` run as root would have replaced the device; checked, not tried.
    assert output._special(Path("/dev/null")) and not output._special(tmp_path / "missing")


def test_init_into_a_pipe_is_pd034(tmp_path: Path) -> None:
    fifo = tmp_path / "program.yaml"
    os.mkfifo(fifo)
    result = CliRunner().invoke(main, ["init", "--type", "traditional", "-o", str(fifo), "--force"])
    assert result.exit_code == 1 and "error[PD034]: cannot write the program: it is a pipe, socket or device" in result.output
    assert fifo.is_fifo()
