"""A PEP 517 build backend with the standard library only, so that ``pip install ./sdk/python``
works where no package index is reachable (docs/python.md). It builds a pure-Python wheel of
``exp_sdk`` (and an editable one for ``pip install -e``) from the metadata in pyproject.toml."""

from __future__ import annotations

import base64
import hashlib
import tarfile
import tomllib
import zipfile
from pathlib import Path

_ROOT = Path(__file__).resolve().parent
_PACKAGE = "exp_sdk"


def _project() -> dict:
    with open(_ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]


def _dist_name(project: dict) -> str:
    return project["name"].replace("-", "_")


def _metadata(project: dict) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project['description']}",
        f"Requires-Python: {project['requires-python']}",
        f"License: {project['license']['text']}",
        "Description-Content-Type: text/markdown",
        "",
        (_ROOT / project["readme"]).read_text(encoding="utf-8"),
    ]
    return "\n".join(lines)


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _wheel(wheel_directory: str, files: dict[str, bytes]) -> str:
    project = _project()
    dist = _dist_name(project)
    info = f"{dist}-{project['version']}.dist-info"
    files = {
        **files,
        f"{info}/METADATA": _metadata(project).encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: exp build_backend\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{info}/top_level.txt": f"{_PACKAGE}\n".encode(),
    }
    record = [_record_line(name, data) for name, data in sorted(files.items())] + [f"{info}/RECORD,,"]
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    filename = f"{dist}-{project['version']}-py3-none-any.whl"
    with zipfile.ZipFile(Path(wheel_directory) / filename, "w", zipfile.ZIP_DEFLATED) as whl:
        for name, data in files.items():
            whl.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data)
    return filename


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    sources = sorted((_ROOT / _PACKAGE).glob("*.py"))
    return _wheel(wheel_directory, {f"{_PACKAGE}/{p.name}": p.read_bytes() for p in sources})


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # A .pth line puts this folder on sys.path, so edits to exp_sdk/ take effect without reinstalling.
    return _wheel(wheel_directory, {f"{_dist_name(_project())}.pth": f"{_ROOT}\n".encode()})


def build_sdist(sdist_directory, config_settings=None):
    project = _project()
    base = f"{_dist_name(project)}-{project['version']}"
    filename = f"{base}.tar.gz"
    with tarfile.open(Path(sdist_directory) / filename, "w:gz") as tar:
        for path in ["pyproject.toml", "build_backend.py", project["readme"], *sorted(p.name for p in (_ROOT / _PACKAGE).glob("*.py"))]:
            source = _ROOT / path if (_ROOT / path).exists() else _ROOT / _PACKAGE / path
            arcname = f"{base}/{path}" if source.parent == _ROOT else f"{base}/{_PACKAGE}/{path}"
            tar.add(source, arcname=arcname)
    return filename
