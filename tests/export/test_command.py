"""``cadence export`` end to end: a real SQLite store, the real CLI, real files."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from cadence.cli import _Parser
from cadence.commands import export as export_command
from cadence.model.session import SessionData
from cadence.store.store import Store
from support.cli import run_cadence

from .decode import decode_fit, parse_tcx, tcx_schema


def _record(db: Path, data: SessionData) -> int:
    """Write ``data`` through the store's own recorder, as a live session would."""
    info = data.info
    with Store.open(db) as store:
        recorder = store.begin_session(
            profile_name=info.profile_name,
            runner_name=info.runner_name,
            program=info.program,
            program_week=info.program_week,
            started_at=info.started_at,
            treadmill=info.treadmill,
            shoe_name=info.shoe_name,
        )
        for sample in data.samples:
            recorder.add_sample(sample)
        for event in data.events:
            recorder.add_event(event)
        assert recorder.finish(info.end_reason or "user", info.duration_s)
        return recorder.session_id


@pytest.fixture(scope="module")
def db(run_walk_session: SessionData, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "sessions.sqlite3"
    _record(path, run_walk_session)
    return path


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_cadence("export", *args, env={**os.environ, **(env or {})})


def main(argv: list[str]) -> int:
    """``cadence export ...`` in process: the command's own parser and ``run``.

    Built like cli.build_parser builds it (same parser class), but without
    importing every other command, so these tests depend only on this command.
    """
    assert argv[0] == "export"
    parser = _Parser(prog="cadence export")
    export_command.add_arguments(parser)
    return export_command.run(parser.parse_args(argv[1:]))


def _in_process_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "error" in err[0]
    return err[0]


@pytest.mark.parametrize("fmt", ["fit", "tcx", "csv", "png"])
def test_format_from_the_suffix(db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"run.{fmt}"
    assert main(["export", "last", "-o", str(out), "--db", str(db)]) == 0
    assert out.stat().st_size > 1000
    companions = ["run-events.csv"] if fmt == "csv" else []  # the CSV's events beside it
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, *companions])


def test_explicit_format_wins_over_the_suffix(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "run.dat"
    assert main(["export", "1", "--format", "fit", "-o", str(out), "--db", str(db)]) == 0
    decoded = decode_fit(out.read_bytes())
    assert decoded.integrity_ok and decoded.errors == []


def test_what_the_store_gives_back_exports_like_the_original(
    db: Path, tmp_path: Path, run_walk_session: SessionData
) -> None:
    """Through SQLite and back: same record and trackpoint counts as the in-memory session."""
    from cadence.export.common import build_pauses, build_track, recorded_points

    expected = len(recorded_points(build_track(run_walk_session), build_pauses(run_walk_session)))
    fit, tcx = tmp_path / "a.fit", tmp_path / "a.tcx"
    assert main(["export", "last", "-o", str(fit), "--db", str(db)]) == 0
    assert main(["export", "last", "-o", str(tcx), "--db", str(db)]) == 0
    assert len(decode_fit(fit.read_bytes()).mesgs("record")) == expected
    doc = parse_tcx(tcx.read_bytes())
    assert tcx_schema().validate(doc)
    assert len(doc.findall(".//{*}Trackpoint")) == expected


def test_cli_subprocess_with_the_data_dir_from_the_environment(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "run.csv"
    result = _cli("last", "-o", str(out), env={"CADENCE_DATA_DIR": str(db.parent)})
    assert result.returncode == 0, result.stderr
    assert "wrote session" in result.stdout
    assert out.read_text(encoding="utf-8").startswith("time,elapsed_s,role,")


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "error" in lines[0]
    return lines[0]


def test_cli_subprocess_missing_session_is_one_line_and_exit_2(db: Path, tmp_path: Path) -> None:
    line = _one_line_error(_cli("999", "-o", str(tmp_path / "x.fit"), "--db", str(db)))
    assert "999" in line
    assert list(tmp_path.iterdir()) == []


def test_missing_session_is_one_line_and_exit_2(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = _in_process_error(
        capsys, ["export", "999", "-o", str(tmp_path / "x.fit"), "--db", str(db)]
    )
    assert "999" in line
    assert list(tmp_path.iterdir()) == []


def test_missing_database_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none.sqlite3"
    _in_process_error(
        capsys, ["export", "last", "-o", str(tmp_path / "x.fit"), "--db", str(missing)]
    )
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_not_a_database_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("my running notes\n")
    _in_process_error(capsys, ["export", "last", "-o", str(tmp_path / "x.fit"), "--db", str(bogus)])
    assert bogus.read_text() == "my running notes\n"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_missing_output_folder_is_one_line_and_exit_2(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = _in_process_error(
        capsys, ["export", "last", "-o", str(tmp_path / "no" / "x.tcx"), "--db", str(db)]
    )
    assert "does not exist" in line
    assert list(tmp_path.iterdir()) == []


def test_output_inside_a_file_is_one_line_and_exit_2(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    _in_process_error(capsys, ["export", "last", "-o", str(blocker / "x.png"), "--db", str(db)])
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_unwritable_folder_is_one_line_and_exit_2(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """/proc refuses new files even to root, so this works whoever runs the tests."""
    target = Path("/proc") / f"cadence-export-{os.getpid()}.fit"
    line = _in_process_error(capsys, ["export", "last", "-o", str(target), "--db", str(db)])
    assert "can't write" in line
    assert not target.exists()


def test_unknown_suffix_without_format_is_one_line_and_exit_2(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = _in_process_error(
        capsys, ["export", "last", "-o", str(tmp_path / "run.gpx"), "--db", str(db)]
    )
    assert "--format" in line


def test_an_existing_file_is_replaced_whole(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "run.csv"
    out.write_text("old contents\n")
    assert main(["export", "last", "-o", str(out), "--db", str(db)]) == 0
    assert out.read_text(encoding="utf-8").startswith("time,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run-events.csv", "run.csv"]


@pytest.mark.parametrize("fmt", ["fit", "csv"])
def test_a_device_node_is_refused_and_left_alone(
    db: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    """As root, writing over /dev/null would have replaced the device node with a file."""
    import stat

    line = _in_process_error(
        capsys, ["export", "last", "-o", "/dev/null", "--format", fmt, "--db", str(db)]
    )
    assert "character device" in line and "not a regular file" in line
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_fifo_is_refused_and_left_alone(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import stat

    fifo = tmp_path / "run.tcx"
    os.mkfifo(fifo)
    line = _in_process_error(capsys, ["export", "last", "-o", str(fifo), "--db", str(db)])
    assert "FIFO" in line
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["run.tcx"]


def test_the_writers_themselves_refuse_a_fifo(
    run_walk_session: SessionData, tmp_path: Path
) -> None:
    """The TUI's export goes straight to the writers: they refuse it too, touching nothing."""
    import stat

    from cadence.export.files import NotARegularFile
    from cadence.export.formats import FORMATS

    for fmt in FORMATS:
        fifo = tmp_path / f"run{fmt.suffix}"
        os.mkfifo(fifo)
        with pytest.raises(NotARegularFile, match="FIFO"):
            fmt.write(run_walk_session, fifo)
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert len(list(tmp_path.iterdir())) == len(FORMATS)  # no companion file either
