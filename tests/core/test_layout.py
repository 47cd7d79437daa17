"""The platform/ source folder must never become a package that shadows the
standard library's `platform`, and both source roots are found by packaging."""

import importlib.util
import platform
import subprocess
import sys
import tomllib

from tests.support import ROOT


def test_platform_folder_is_not_a_package():
    assert (ROOT / "platform" / "config").is_dir()
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_standard_library_platform_is_not_shadowed():
    assert callable(platform.system)
    assert platform.__file__.startswith(sys.base_prefix)


def test_both_source_roots_are_importable_through_packaging():
    for name, folder in [
        ("config", "platform/config"),
        ("core", "platform/core"),
        ("organisations", "platform/organisations"),
        ("studios", "studios"),
        ("problems", "problems"),
        ("search", "search"),
    ]:
        spec = importlib.util.find_spec(name)
        assert spec is not None, name
        assert spec.origin == str(ROOT / folder / "__init__.py")


def test_no_sys_path_edits_are_needed():
    # A fresh interpreter outside the repository still finds the project,
    # because it is installed (editable), not because of sys.path edits.
    code = "import config, core, studios, uuid; print(config.__file__)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd="/",
        text=True,
        capture_output=True,
        check=True,
    ).stdout
    assert out.strip() == str(ROOT / "platform" / "config" / "__init__.py")


def test_requirements_install_the_project_itself():
    lines = [
        ln.strip()
        for ln in (ROOT / "requirements.txt").read_text().splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    assert lines[-1] == "-e ."
    assert all("==" in ln for ln in lines[:-1]), "runtime requirements are pinned"


def test_the_layer_contract_names_every_app():
    """import-linter checks only the packages it is given: a new app (one with
    an apps.py) must be a root package and have its place in the layers."""
    linter = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"][
        "importlinter"
    ]
    apps = {
        path.parent.name
        for source in (ROOT, ROOT / "platform")
        for path in source.glob("*/apps.py")
    }
    [layers] = [c["layers"] for c in linter["contracts"] if c["type"] == "layers"]
    assert apps | {"config"} == set(linter["root_packages"])
    assert apps | {"config"} <= {name.strip("()") for name in layers}
