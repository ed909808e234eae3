"""The package as a user gets it: a built wheel in a fresh virtualenv.

Pelican finds plugins as namespace packages under ``pelican.plugins`` and
reads no entry points, so these build a real site with the installed wheel
the three ways a site may ask for the plugin.
"""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import ROOT

POST = "Title: Packaged\nDate: 2024-03-07\n\nDana: Does the wheel work?\nMarcus: It does.\n"
SETTINGS = 'PATH = "content"\nTIMEZONE = "UTC"\nSITEURL = ""\n'


def run(*command, cwd=None) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(out), str(ROOT))
    return out


@pytest.fixture(scope="module")
def installed(dist, tmp_path_factory) -> Path:
    """A fresh virtualenv holding the wheel and what it depends on, nothing of ours else."""
    env = tmp_path_factory.mktemp("venv") / "venv"
    venv.create(env, with_pip=True)
    wheel = next(dist.glob("*.whl"))
    run(str(env / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel))
    return env / "bin"


def test_wheel_and_sdist_pass_twine_check(dist):
    names = sorted(path.name for path in dist.iterdir())
    assert any(name.endswith(".whl") for name in names) and any(name.endswith(".tar.gz") for name in names)
    result = run(sys.executable, "-m", "twine", "check", "--strict", *(str(path) for path in dist.iterdir()))
    assert result.stdout.count("PASSED") == 2


def test_the_wheel_ships_the_namespace_plugin_and_the_package(dist):
    import zipfile

    names = zipfile.ZipFile(next(dist.glob("*.whl"))).namelist()
    assert "pelican/plugins/chatlog/__init__.py" in names
    assert "pelican_chatlog/templates/chatlog/conversation.html" in names
    assert "pelican_chatlog/static/chatlog.css" in names
    # the namespace's own folders belong to Pelican: shipping an __init__ there would break it
    assert "pelican/__init__.py" not in names and "pelican/plugins/__init__.py" not in names


@pytest.mark.parametrize(
    "plugins",
    [None, ["chatlog"], ["pelican.plugins.chatlog"], ["pelican_chatlog"]],
    ids=["no-PLUGINS-setting", "short-name", "namespace-name", "package-name"],
)
def test_a_site_built_with_the_installed_wheel_renders_the_chat(installed, tmp_path, plugins):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "packaged.chat").write_text(POST, encoding="utf-8")
    settings = SETTINGS + ("" if plugins is None else f"PLUGINS = {plugins!r}\n")
    (tmp_path / "pelicanconf.py").write_text(settings, encoding="utf-8")
    run(str(installed / "pelican"), "content", "-s", "pelicanconf.py", "-o", "output", "--fatal", "errors",
        cwd=tmp_path)
    page = (tmp_path / "output" / "packaged.html").read_text(encoding="utf-8")
    assert 'class="chatlog"' in page
    assert page.count('class="chatlog-message') == 2
    assert (tmp_path / "output" / "chatlog" / "chatlog.css").is_file()


def test_the_command_runs_from_the_installed_wheel(installed):
    result = run(str(installed / "pelican-chatlog"), "--help")
    assert "convert" in result.stdout and "check" in result.stdout
    version = run(str(installed / "pelican-chatlog"), "--version").stdout
    import pelican_chatlog

    assert pelican_chatlog.__version__ in version
