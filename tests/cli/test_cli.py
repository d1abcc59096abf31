"""The command line: version, demo building, and the GUI smoke test."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pfdesk.__main__ import main


def test_version(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out.startswith("pfdesk ")


def test_demo_builds_once_and_refuses_a_store_with_data(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path), "demo"]) == 0
    assert "デモの町を作成しました" in capsys.readouterr().out
    assert main(["--data-dir", str(tmp_path), "demo"]) == 2
    assert "空のデータフォルダ" in capsys.readouterr().err


@pytest.mark.slow
def test_smoke_test_prints_ready(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.run(
        [sys.executable, "-m", "pfdesk", "--data-dir", str(tmp_path), "demo"],
        check=True, env=env, capture_output=True,
    )
    out = subprocess.run(
        [sys.executable, "-m", "pfdesk", "--data-dir", str(tmp_path), "--smoke-test"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().startswith("pfdesk ready in ")
    assert out.stdout.strip().endswith(" ms")



def test_output_cut_short_by_a_pipe_is_not_an_error():
    # Like `pfdesk stats | head -1`: the reader has gone when the command writes.
    code = (
        "import sys, types\n"
        "from pfdesk.cli._runtime import run_command\n"
        "def handler(args):\n"
        "    raise BrokenPipeError(32, 'Broken pipe')\n"
        "rc = run_command(types.SimpleNamespace(raw_handler=handler))\n"
        "sys.stderr.write(f'rc={rc}')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    assert "rc=0" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("name", ["pfdesk.sqlite3", "audit-head.json", "keys.json", "x.csv"])
def test_outputs_are_never_written_into_the_data_folder(tmp_path, capsys, name):
    main(["--data-dir", str(tmp_path), "stats", "--fy", "2026"])  # a store in the folder
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    code = main(["--data-dir", str(tmp_path), "export", "contacts", str(tmp_path / name)])
    assert code == 2 and "データフォルダーの中" in capsys.readouterr().err
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    assert after == before


@pytest.mark.parametrize("name", ["pfdesk.sqlite3", "audit-head.json", "keys.json", "x.csv"])
def test_backups_go_only_to_the_backups_folder_of_the_data_folder(tmp_path, name):
    main(["--data-dir", str(tmp_path), "stats", "--fy", "2026"])  # a store in the folder
    code = main(["--data-dir", str(tmp_path), "backup", str(tmp_path / name)])
    assert code == 2
    assert main(["--data-dir", str(tmp_path), "backup", str(tmp_path / "backups" / "b.zip")]) == 0
