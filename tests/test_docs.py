"""Docs and code comments cite only what exists: every repository path, Python module or
attribute named in a Markdown file, a comment or a docstring must be there, so a renamed
or removed file cannot leave a reader following a dead reference."""

from __future__ import annotations

import ast
import importlib
import io
import os
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.test import SimpleTestCase

ROOT = Path(settings.BASE_DIR)
SKIP_DIRS = {".git", ".venv", "node_modules", "data", "locale", "__pycache__"}
SKIP_DIRS |= {".pytest_cache", ".ruff_cache", ".mypy_cache", ".hypothesis"}
# The project's own packages: dotted names under them must import (or be app models).
PACKAGES = ("config", "crypto", "accounts", "intake", "cases", "disclosure", "audit", "tests")
EXTENSIONS = {"py", "md", "toml", "html", "txt", "cfg", "conf", "css", "js", "sh", "json", "po"}
URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+|\bwww\.\S+|\S+@\S+\.\w+", re.IGNORECASE)
TOKEN = re.compile(r"[\w./*<>%{}~-]+")
DOTTED = re.compile(rf"^(?:{'|'.join(PACKAGES)})(?:\.[A-Za-z_]\w*)+$")
PLACEHOLDER = re.compile(r"<[^>]*>|\{[^}]*\}")
MD_LINK = re.compile(r"\]\(([^)\s]+)\)")
# Citations of a design document by section, which the repository does not hold.
OUTSIDE_DESIGN = re.compile(r"\bDESIGN(?:\.md)?\s*§")


@dataclass(frozen=True)
class Problem:
    where: str
    name: str

    def __str__(self) -> str:
        return f"{self.where} names `{self.name}`, which does not exist"


def _walk(suffixes: tuple[str, ...]) -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        found += [Path(folder) / f for f in files if f.endswith(suffixes)]
    return sorted(found)


def _top_level() -> set[str]:
    return {p.name for p in ROOT.iterdir() if p.is_dir() and p.name not in SKIP_DIRS}


def _basenames() -> set[str]:
    return {p.name for p in _walk(tuple(f".{e}" for e in EXTENSIONS))}


def _path_exists(name: str, here: Path) -> bool:
    name = name.rstrip("/")
    if any(c in name for c in "*<>{}"):  # a pattern: `locale/<lang>/...` or `docs/*.md`
        return any(ROOT.glob(PLACEHOLDER.sub("*", name)))
    candidates = [ROOT / name, here.parent / name, ROOT / "templates" / name]
    candidates += [app / "templates" / name for app in ROOT.iterdir() if app.is_dir()]
    return any(c.exists() for c in candidates)


def _attribute_exists(owner: object, name: str) -> bool:
    if hasattr(owner, name):
        return True
    if name in getattr(owner, "__annotations__", {}):  # dataclass fields without default
        return True
    meta = getattr(owner, "_meta", None)
    if meta is not None:
        try:
            meta.get_field(name)
            return True
        except FieldDoesNotExist:
            return False
    return False


def module_exists(dotted: str) -> bool:
    """Import the longest module prefix, then walk attributes; `app.Model` also counts."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        module_name = ".".join(parts[:end])
        try:
            owner: object = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name and module_name.startswith(error.name):
                continue  # this prefix is not a module; try a shorter one
            return True  # the module exists but needs something absent here
        for attr in parts[end:]:
            if not _attribute_exists(owner, attr):
                break
            owner = getattr(owner, attr, None)
        else:
            return True
        break
    if len(parts) >= 2:
        try:
            model = apps.get_model(parts[0], parts[1])
        except LookupError:
            return False
        return len(parts) == 2 or all(_attribute_exists(model, a) for a in parts[2:3])
    return False


def check_text(text: str, where: str, here: Path) -> list[Problem]:
    """Every dead reference in text: paths, file names and dotted names of the project."""
    problems = []
    top, basenames = _top_level(), None
    text = URL.sub(" ", text)
    for raw in TOKEN.findall(text):
        token = raw.strip(".,:;-'\"`").removesuffix("()")
        if not token or token.startswith(("/", "~", "%", "<", "{")) or ".." in token:
            continue
        if DOTTED.match(token):
            if not module_exists(token):
                problems.append(Problem(where, token))
            continue
        extension = token.rsplit(".", 1)[-1] if "." in token.rsplit("/", 1)[-1] else ""
        if "/" in token:
            if token.split("/")[0] in top or extension in EXTENSIONS:
                if not _path_exists(token, here):
                    problems.append(Problem(where, token))
        elif extension in EXTENSIONS and not token.startswith("."):
            basenames = basenames or _basenames()
            if token not in basenames:
                problems.append(Problem(where, token))
    return problems


def check_markdown(path: Path) -> list[Problem]:
    problems = []
    rel = path.relative_to(ROOT)
    for number, line in enumerate(path.read_text().splitlines(), 1):
        where = f"{rel}:{number}"
        problems += check_text(line, where, path)
        for target in MD_LINK.findall(line):
            target = target.split("#", 1)[0]
            if target and not URL.match(target) and not (path.parent / target).exists():
                problems.append(Problem(where, target))
    return problems


def prose_of(path: Path) -> list[tuple[int, str]]:
    """The comments and docstrings of a Python file, with their line numbers."""
    source = path.read_text()
    found = [
        (tok.start[0], tok.string)
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type == tokenize.COMMENT
    ]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            doc = ast.get_docstring(node, clean=False)
            if doc and node.body:
                found.append((node.body[0].lineno, doc))
    return found


def check_python(path: Path) -> list[Problem]:
    rel = path.relative_to(ROOT)
    problems = []
    for number, text in prose_of(path):
        problems += check_text(text, f"{rel}:{number}", path)
    return problems


class DocsTestCase(SimpleTestCase):
    def test_it_finds_dead_references_and_ignores_urls_and_other_packages(self):
        text = (
            "See intake/no_such_file.py, docs/NO_SUCH.md, intake.services.no_such_name and "
            "audit.no_such_module; not https://example.org/intake/x.py or django.db.models."
        )
        names = {p.name for p in check_text(text, "example", ROOT / "README.md")}
        self.assertEqual(
            names,
            {
                "intake/no_such_file.py",
                "docs/NO_SUCH.md",
                "intake.services.no_such_name",
                "audit.no_such_module",
            },
        )
        fine = "intake/storage/local.py, audit.chain.keeps_day_only, accounts.models.Role, KEYS.md"
        self.assertEqual(check_text(fine, "example", ROOT / "docs" / "KEYS.md"), [])

    def test_every_doc_names_only_what_exists(self):
        problems = []
        for path in _walk((".md",)):
            problems += check_markdown(path)
        self.assertEqual([str(p) for p in problems], [])

    def test_every_comment_and_docstring_names_only_what_exists(self):
        problems = []
        for path in _walk((".py",)):
            problems += check_python(path)
        self.assertEqual([str(p) for p in problems], [])

    def test_nothing_cites_a_design_document_outside_the_repository(self):
        cited = [
            f"{path.relative_to(ROOT)}:{number}"
            for path in _walk((".py", ".md", ".html", ".toml"))
            for number, line in enumerate(path.read_text().splitlines(), 1)
            if OUTSIDE_DESIGN.search(line)
        ]
        self.assertEqual(cited, [])
