"""``cadence music add`` and ``cadence music list`` as a user runs them, on a real store file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import run_cadence
from support.synth_tracks import write_noise, write_track


@pytest.mark.slow
def test_add_then_list_with_a_target(tmp_path: Path) -> None:
    folder = tmp_path / "music"
    folder.mkdir()
    write_track(folder, 150.0, duration_s=15)
    write_track(folder, 86.0, fmt="flac", duration_s=15)
    db = str(tmp_path / "db.sqlite")
    added = run_cadence("music", "add", str(folder), "--db", db)
    assert added.returncode == 0, added.stderr
    assert added.stderr == ""
    assert len(added.stdout.splitlines()) == 2
    listed = run_cadence("music", "list", "--target", "170", "--json", "--db", db)
    assert listed.returncode == 0, listed.stderr
    rows = {Path(r["path"]).name: r for r in json.loads(listed.stdout)}
    assert rows["kick_150.wav"]["tempo_bpm"] == pytest.approx(150.0, abs=0.1)
    assert rows["kick_150.wav"]["usable"] is False  # +13 % is beyond 8 %
    assert rows["kick_86.flac"]["played_as"] == "half tempo"
    assert rows["kick_86.flac"]["stretch_pct"] == pytest.approx(-1.2, abs=0.1)
    assert rows["kick_86.flac"]["usable"] is True
    text = run_cadence("music", "list", "--target", "170", "--db", db)
    assert "too far" in text.stdout and "half tempo" in text.stdout


@pytest.mark.slow
def test_bad_files_are_one_line_each_and_exit_2_but_good_ones_are_kept(tmp_path: Path) -> None:
    write_track(tmp_path, 170.0, duration_s=12)
    noise = write_noise(tmp_path)
    fake = tmp_path / "locked.mp3"
    fake.write_bytes(bytes(3000))
    db = str(tmp_path / "db.sqlite")
    result = run_cadence("music", "add", str(tmp_path), str(tmp_path / "gone.flac"), "--db", db)
    assert result.returncode == 2
    err = result.stderr.strip().splitlines()
    assert len(err) == 3, result.stderr
    assert any("gone.flac: no such file" in ln for ln in err)
    assert any(str(fake) in ln and "can't decode" in ln for ln in err)
    assert any(str(noise) in ln and "no clear beat" in ln for ln in err)
    assert "kick_170.wav" in result.stdout
    listed = json.loads(run_cadence("music", "list", "--json", "--db", db).stdout)
    assert sum(1 for r in listed if r["problem"] is None) == 1


def test_list_of_a_missing_store_is_one_line_exit_2(tmp_path: Path) -> None:
    result = run_cadence("music", "list", "--db", str(tmp_path / "none.sqlite"))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_empty_folder_is_one_line_exit_2(tmp_path: Path) -> None:
    result = run_cadence("music", "add", str(tmp_path), "--db", str(tmp_path / "db.sqlite"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"cadence music: {tmp_path}: no music files in this folder (WAV, FLAC, OGG or MP3)"
    ]
