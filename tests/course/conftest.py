"""Fixtures for the course system: the course, released starters, planted bugs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mfdnn.course.metadata import load_course


@pytest.fixture(scope="session")
def course():
    return load_course()


def reference(course, hw: str) -> list[Path]:
    h = course.get_homework(hw)
    paths = [course.root / "solutions" / h.id / f for f in h.files]
    return [p for p in paths if p.exists()]


def plant(course, tmp_path: Path, hw: str, file: str, old: str, new: str) -> list[Path]:
    """A copy of the reference solution of ``hw`` with one planted change in ``file``."""
    folder = tmp_path / f"planted-{hw}"
    folder.mkdir(exist_ok=True)
    out = []
    for path in reference(course, hw):
        text = path.read_text()
        if path.name == file:
            assert text.count(old) == 1, f"the planted text must occur once in {file}: {old!r}"
            text = text.replace(old, new)
        (folder / path.name).write_text(text)
        out.append(folder / path.name)
    return out


@pytest.fixture
def reference_files(course):
    return lambda hw: reference(course, hw)


@pytest.fixture
def planted(course, tmp_path):
    return lambda hw, file, old, new: plant(course, tmp_path, hw, file, old, new)


@pytest.fixture
def copy_reference(course, tmp_path):
    def copy(hw: str, dest: Path) -> list[Path]:
        dest.mkdir(parents=True, exist_ok=True)
        return [Path(shutil.copy(p, dest / p.name)) for p in reference(course, hw)]

    return copy
