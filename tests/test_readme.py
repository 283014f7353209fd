"""The README's examples run as written, in order, against a live ``kreyol serve``.

Every ```sh block runs in one bash session (variables carry over, as in one terminal) with
``set -euo pipefail`` and every curl failing on an HTTP error; a block preceded by
``<!-- not run by tests: why -->`` is skipped and must say why. ```python blocks run too.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.servers import ApiServer, kreyol, kreyol_env

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FENCE = re.compile(
    r"^(?:<!-- not run by tests:(?P<why>[^\n]*?)-->\n)?"
    r"```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^```",
    re.S | re.M,
)
CLAIM = re.compile(r"^(\w+(?:, \w+)*) = [^#\n]+#\s*(\(.*\))\s*$", re.M)
PRELUDE = """set -euo pipefail
curl() { command curl --fail-with-body -sS "$@"; }
"""


def blocks(text: str) -> list[tuple[str, str, str | None]]:
    """(language, body, reason it is skipped or None) of every fenced block, in order."""
    return [
        (m["lang"], m["body"], None if m["why"] is None else m["why"].strip())
        for m in FENCE.finditer(text)
    ]


def script(text: str, port: int) -> str:
    """The runnable sh blocks as one bash script aimed at ``port``, each announced on stdout."""
    parts = [PRELUDE]
    for number, (lang, body, why) in enumerate(blocks(text)):
        if lang == "sh" and why is None:
            body = re.sub(r"(localhost|127\.0\.0\.1):8000", f"127.0.0.1:{port}", body)
            parts.append(f"printf '\\n::block {number}:: %ss\\n' \"$SECONDS\"\n{body}")
    return "\n".join(parts) + "\nprintf '\\n::done:: %ss\\n' \"$SECONDS\"\n"


def _text(output: str | bytes | None) -> str:
    """What a timed-out process had written, as text."""
    return output.decode(errors="replace") if isinstance(output, bytes) else output or ""


def test_every_skipped_block_says_why_and_enough_blocks_run() -> None:
    text = README.read_text(encoding="utf-8")
    found = blocks(text)
    assert text.count("<!-- not run by tests:") == sum(why is not None for _, _, why in found)
    assert all(why for _, _, why in found if why is not None), "a skip without a reason"
    assert sum(lang == "sh" and why is None for lang, _, why in found) >= 8


def test_the_readme_walkthrough_runs_in_order(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    clone.mkdir()
    (clone / ".venv").symlink_to(ROOT / ".venv")
    env = kreyol_env(clone / "var")
    kreyol(env, "db", "upgrade")  # what make run does before it serves
    kreyol(env, "users", "create-admin", "--if-missing")
    server = ApiServer(env).start()
    try:
        result = subprocess.run(
            ["bash", "-c", script(README.read_text(encoding="utf-8"), server.port)],
            cwd=clone,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=300,  # each kreyol command starts Python and the app: seconds apiece
        )
    except subprocess.TimeoutExpired as exc:
        result = subprocess.CompletedProcess(exc.cmd, -1, _text(exc.stdout), _text(exc.stderr))
    finally:
        server.stop()
    out = result.stdout
    last = re.findall(r"::block (\d+)::", out)
    assert result.returncode == 0, (
        f"README block {last[-1] if last else '?'} failed ({result.returncode}):\n"
        f"{out[-3000:]}\n{result.stderr[-3000:]}\n"
        f"server log: {Path(server.log).read_text()[-2000:]}"
    )
    assert re.search(r"::done:: \d+s\n$", out), out[-3000:]
    flat = re.sub(r"\s", "", out)
    assert '"translation":"Kotelopitallaye?"' in flat, out[-3000:]
    assert re.search(r'"status":\s*"completed"', out), out[-3000:]
    assert "Randevou ou se lendi." in out, out[-3000:]  # the imported memory answers
    assert "BLEU" in out, out[-3000:]
    for name in ("notice.ht.docx", "notice.local.ht.docx", "notice.remote.ht.docx"):
        with zipfile.ZipFile(clone / name) as document:
            body = document.read("word/document.xml").decode()
        assert "<w:t" in body and "Take 2 pills every day." not in body, name


def test_the_python_examples_run_and_their_comments_hold() -> None:
    """A line ``a, b = call()  # (literal)`` must give that literal, as the README claims."""
    namespace: dict[str, object] = {}
    checked = 0
    for lang, body, why in blocks(README.read_text(encoding="utf-8")):
        if lang != "python" or why is not None:
            continue
        exec(compile(body, "README.md", "exec"), namespace)
        for names, claim in CLAIM.findall(body):
            shown = tuple(namespace[n.strip()] for n in names.split(","))
            assert shown == ast.literal_eval(claim), f"README says {names} = {claim}: {shown}"
            checked += 1
    assert checked >= 1


def _imported_distributions(path: Path) -> set[str]:
    """Distributions providing the third-party modules a bench script imports."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    providers = importlib.metadata.packages_distributions()
    own = {"__future__", "bench", "kreyol_ia", "tests"}
    third = {n for n in names if n not in sys.stdlib_module_names and n not in own}
    # a module not installed here (torch for --neural) is taken to be its distribution's name
    return {canonicalize_name(d) for n in third for d in providers.get(n, [n])}


@pytest.mark.parametrize("path", sorted((ROOT / "bench").glob("*.py")), ids=lambda p: p.name)
def test_the_bench_extra_installs_what_the_benchmarks_import(path: Path) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    allowed = [Requirement(r) for r in project["dependencies"]]
    for extra in ("bench", "convert"):
        allowed += [Requirement(r) for r in project["optional-dependencies"].get(extra, [])]
    declared = {canonicalize_name(r.name) for r in allowed}
    assert _imported_distributions(path) <= declared
