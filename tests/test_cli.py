"""The `despatch` command: tree mirroring, formats, skipped files, summary, one line per failure."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE, despatch, despatch_process
from despatch import __version__, pipeline
from despatch.errors import InputError


def _tree(root: Path) -> Path:
    """An input tree like the benchmark's: documents in subfolders beside files that are not documents."""
    (root / "wordexport").mkdir(parents=True)
    (root / "plain" / "1925").mkdir(parents=True)
    shutil.copy(EXAMPLE, root / "wordexport" / "harriman.txt")
    (root / "plain" / "1925" / "d479.txt").write_text(
        "479.\n817.1051/74\nMemorandum by the Secretary of State of a Conversation With the Nicaraguan Chargé "
        "(Tigerino), May 28, 1925\n\nThe Chargé stated that Nicaragua had passed the law for the establishment of "
        "a constabulary.\n", encoding="utf-8")
    (root / "gold.jsonl").write_text('{"file": "plain/1925/d479.txt"}\n', encoding="utf-8")
    (root / "plain" / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (root / ".hidden.txt").write_text("not looked at", encoding="utf-8")
    return root


def test_version() -> None:
    run = despatch("--version")
    assert run.code == 0 and run.stdout.strip() == f"despatch {__version__}"


def test_tree_mirrored_and_non_documents_skipped(tmp_path: Path) -> None:
    src = _tree(tmp_path / "in")
    run = despatch("convert", src, "--out", tmp_path / "out")
    assert run.code == 0, run.stderr
    written = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert written == ["plain/1925/d479.xml", "wordexport/harriman.xml"]
    assert "skipped          3 (not document files)" in run.stderr
    assert "documents found  2" in run.stderr
    assert "failures         0" in run.stderr
    assert "documents/s" in run.stderr


def test_named_non_document_file_is_skipped_with_a_word(tmp_path: Path) -> None:
    src = _tree(tmp_path / "in")
    run = despatch("convert", src / "gold.jsonl", src / "wordexport" / "harriman.txt", "--out", tmp_path / "out")
    assert run.code == 0, run.stderr
    assert run.stderr.splitlines()[0] == f"{src / 'gold.jsonl'}: skipped, not a document file"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["harriman.xml"]


def test_several_formats_at_once(tmp_path: Path) -> None:
    run = despatch("convert", EXAMPLE, "--out", tmp_path, "--to", "tei,json,html")
    assert run.code == 0, run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "harriman-to-roosevelt-1944-06-11.html", "harriman-to-roosevelt-1944-06-11.json",
        "harriman-to-roosevelt-1944-06-11.xml"]


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    run = despatch("convert", EXAMPLE, "--out", tmp_path, "--to", "pdf")
    assert run.code == 2
    assert run.stderr == "unknown format pdf; choose from tei, json, html\n"
    assert not any(tmp_path.iterdir())


def test_two_jobs_give_the_same_files(tmp_path: Path) -> None:
    src = _tree(tmp_path / "in")
    for k in range(6):
        shutil.copy(EXAMPLE, src / "wordexport" / f"copy{k}.txt")
    one = despatch("convert", src, "--out", tmp_path / "one")
    two = despatch_process("convert", src, "--out", tmp_path / "two", "--jobs", "2")
    assert one.code == two.code == 0, two.stderr
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*.xml"))
    assert files == sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*.xml"))
    assert all((tmp_path / "one" / f).read_bytes() == (tmp_path / "two" / f).read_bytes() for f in files)
    assert "documents found  8" in two.stderr


def test_missing_input_is_one_line_and_the_rest_converts(tmp_path: Path) -> None:
    run = despatch("convert", tmp_path / "nowhere.txt", EXAMPLE, "--out", tmp_path / "out")
    assert run.code == 1
    assert f"{tmp_path / 'nowhere.txt'}: no such file or folder\n" in run.stderr
    assert (tmp_path / "out" / "harriman-to-roosevelt-1944-06-11.xml").exists()


def test_internal_error_is_one_line_and_the_batch_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _tree(tmp_path / "in")
    real = pipeline.read_file

    def flaky(path: Path):  # a reader bug that strikes one file
        if path.name == "harriman.txt":
            raise ValueError("footnote 7\nvanished")
        return real(path)

    monkeypatch.setattr(pipeline, "read_file", flaky)
    run = despatch("convert", src, "--out", tmp_path / "out")
    assert run.code == 1
    bad = src / "wordexport" / "harriman.txt"
    assert f"{bad}: internal error: ValueError: footnote 7 vanished\n" in run.stderr
    assert "Traceback" not in run.stderr
    assert (tmp_path / "out" / "plain" / "1925" / "d479.xml").exists()
    assert not (tmp_path / "out" / "wordexport").exists()
    debug = despatch("convert", src, "--out", tmp_path / "out2", "--debug")
    assert "Traceback (most recent call last)" in debug.stderr and "in flaky" in debug.stderr


def test_failed_file_leaves_no_output_from_an_earlier_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert despatch("convert", EXAMPLE, "--out", tmp_path).code == 0
    target = tmp_path / "harriman-to-roosevelt-1944-06-11.xml"
    assert target.exists()

    def refuse(path: Path):
        raise InputError(str(path), "no document found")

    monkeypatch.setattr(pipeline, "read_file", refuse)
    run = despatch("convert", EXAMPLE, "--out", tmp_path)
    assert run.code == 1 and f"{EXAMPLE}: no document found\n" in run.stderr
    assert not target.exists()


def test_outputs_that_would_collide_are_refused(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(EXAMPLE, src / "d1.txt")
    shutil.copy(EXAMPLE, src / "d1.text")
    run = despatch("convert", src, "--out", tmp_path / "out")
    assert run.code == 1
    assert f"{src / 'd1.txt'}: not converted, its output {tmp_path / 'out' / 'd1'}.* is that of {src / 'd1.text'}" in run.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["d1.xml"]


def test_output_folder_inside_the_input_is_not_read_back(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "a.txt")
    for _ in range(2):
        run = despatch("convert", tmp_path, "--out", tmp_path / "out")
        assert run.code == 0, run.stderr
        assert "files            1" in run.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["a.xml"]


def test_out_must_be_a_folder(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    run = despatch("convert", EXAMPLE, "--out", tmp_path / "file")
    assert run.code == 2 and f"{tmp_path / 'file'}: not a folder" in run.stderr


def test_long_error_lines_are_not_wrapped(tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*(["a-rather-long-folder-name"] * 8))
    deep.mkdir(parents=True)
    (deep / "empty.txt").write_bytes(b"")
    run = despatch_process("convert", deep / "empty.txt", "--out", tmp_path / "out")
    assert run.code == 1
    assert run.stderr.splitlines()[0] == f"{deep / 'empty.txt'}: empty file"


def test_outputs_get_the_permissions_of_any_new_file(tmp_path: Path) -> None:
    """Written through a private temporary file, an output still ends up readable as the umask allows."""
    mask = os.umask(0o022)
    try:
        run = despatch("convert", EXAMPLE, "--out", tmp_path / "out")
    finally:
        os.umask(mask)
    assert run.code == 0, run.stderr
    written = next((tmp_path / "out").glob("*.xml"))
    assert written.stat().st_mode & 0o777 == 0o644
