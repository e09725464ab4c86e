"""The README and every page under docs/ against the code. Prose that names something
the code does not have misleads the next reader, and nothing else would notice: so
what the docs name is checked here, by what the code itself knows.

- every relative link and every repository path in backticks exists in the tree;
- every HTTP path shown (`GET /v1/catalog/titles/T000001`, `/acara`, a curl's URL) is
  a route of the OpenAPI document, with the method where one is shown;
- every demo id shown (T000001, PRG000001, ...) is a record the demo data makes;
- every `make TARGET` shown is a target of the Makefile;
- every setting shown is in config/pustaka.yaml (or is an environment variable the
  code reads by that name).

Each check is a function over a page's text; the tests at the end give each one a
page that breaks it, so none can pass by finding nothing.
"""

from __future__ import annotations

import fnmatch
import functools
import glob
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from chassis.ids import PublicId
from pustaka import broker_users, platform

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
LOCAL_GATEWAY = re.compile(r"https?://(?:127\.0\.0\.1|localhost):8000(/[^\s'\"`)<>]*)?")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Absolute paths that are a machine's files, not the gateway's routes.
FILESYSTEM = ("/usr/", "/var/", "/tmp/", "/etc/", "/opt/", "/home/", "/dev/")
SETTING = r"[A-Z][A-Z0-9]*(?:__?[A-Z0-9]+)+"


@dataclass(frozen=True)
class Page:
    path: Path
    text: str

    @property
    def name(self) -> str:
        return self.path.relative_to(ROOT).as_posix()

    def prose_and_code(self) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """(line number, line) outside fenced code blocks, and inside them."""
        prose, code, fenced = [], [], False
        for n, line in enumerate(self.text.splitlines(), start=1):
            if line.lstrip().startswith("```"):
                fenced = not fenced
                continue
            (code if fenced else prose).append((n, line))
        return prose, code

    def spans(self) -> list[tuple[int, str]]:
        """Inline code spans, outside fenced blocks."""
        prose, _ = self.prose_and_code()
        return [(n, s) for n, line in prose for s in re.findall(r"`([^`]+)`", line)]

    def links(self) -> list[tuple[int, str]]:
        prose, _ = self.prose_and_code()
        return [(n, t) for n, line in prose for t in re.findall(r"\]\(([^)\s]+)\)", line)]

    def code_lines(self) -> list[tuple[int, str]]:
        """Fenced code as commands: a line continued by a backslash joins the next."""
        _, code = self.prose_and_code()
        joined: list[tuple[int, str]] = []
        for n, line in code:
            if joined and unfinished(joined[-1][1]):
                joined[-1] = (joined[-1][0], joined[-1][1].rstrip("\\") + " " + line.strip())
            else:
                joined.append((n, line))
        return joined


def unfinished(command: str) -> bool:
    """A shell command the next line continues: by a backslash, or inside quotes."""
    try:
        shlex.split(command)
    except ValueError:
        return True
    return command.endswith("\\")


def page(path: Path) -> Page:
    return Page(path, path.read_text(encoding="utf-8"))


# -- links and repository paths -------------------------------------------------------


def ignored() -> list[str]:
    lines = (ROOT / ".gitignore").read_text().splitlines()
    return [p.strip().rstrip("/") for p in lines if p.strip() and not p.startswith("#")]


def tracked_top_level() -> set[str]:
    """The names at the repository's top that are its own, not made by running it."""
    skip = [".git", *ignored()]
    return {p.name for p in ROOT.iterdir() if not any(fnmatch.fnmatch(p.name, s) for s in skip)}


def link_problems(doc: Page) -> list[str]:
    found = []
    for n, target in doc.links():
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue  # a web address or an anchor on the same page
        path = (doc.path.parent / target.split("#")[0]).resolve()
        if not path.exists():
            found.append(f"{doc.name}:{n}: the link {target} leads nowhere")
    return found


def repository_paths(span: str, top: set[str]) -> list[str]:
    """The words of a code span that name something in the repository: they start at
    one of its top-level names (`services/catalog/postings.py`, `Makefile`)."""
    paths = []
    for word in span.split():
        word = word.strip("(),;:'\"").split("::")[0]
        head = word.split("/")[0]
        if head in top and ("/" in word or "." in word):
            paths.append(word)
    return paths


def path_problems(doc: Page, top: set[str]) -> list[str]:
    found = []
    for n, span in doc.spans():
        for word in repository_paths(span, top):
            pattern = re.sub(r"<[^>]*>|\{[^}]*\}", "*", word)
            if not glob.glob(str(ROOT / pattern)):
                found.append(f"{doc.name}:{n}: `{word}` is not in the repository")
    return found


# -- HTTP paths ------------------------------------------------------------------------


def http_paths(doc: Page) -> list[tuple[int, str | None, str]]:
    """(line, method or None, path) of every HTTP path the page shows: code spans
    that are a path (`/acara`, `POST /keluar`), and URLs of the local gateway, in a
    curl command with the method curl would use."""
    shown = []
    for n, span in doc.spans():
        match = re.fullmatch(rf"(?:({'|'.join(METHODS)}) )?(/\S*)", span.strip())
        if match and not match.group(2).startswith(FILESYSTEM):
            shown.append((n, match.group(1), match.group(2)))
    prose, _ = doc.prose_and_code()
    for n, line in [*prose, *doc.code_lines()]:
        method = curl_method(line) if line.lstrip().startswith("curl ") else None
        for url in LOCAL_GATEWAY.finditer(line):
            if url.group(1) and url.group(1) != "/":
                shown.append((n, method, url.group(1)))
    return shown


def curl_method(command: str) -> str:
    words = shlex.split(command)
    if "-X" in words:
        return words[words.index("-X") + 1]
    sends = {"-d", "--data", "--data-binary", "--data-raw", "-F", "--form"}
    return "POST" if sends & set(words) else "GET"


def route_of(path: str, routes: dict) -> str | None:
    """The OpenAPI path `path` is an instance of: segments equal, or any value where
    the route has a template (`{title_id}`)."""
    wanted = path.split("?")[0].split("#")[0].rstrip(".,;:").split("/")
    for route in routes:
        segments = route.split("/")
        if len(segments) == len(wanted) and all(map(segment_matches, segments, wanted)):
            return route
    return None


def segment_matches(route: str, shown: str) -> bool:
    return shown == route or (route.startswith("{") and route.endswith("}"))


def http_problems(doc: Page, routes: dict) -> list[str]:
    found = []
    for n, method, path in http_paths(doc):
        if path.endswith("/") and any(r.startswith(path) for r in routes):
            continue  # routes under a prefix (`/v1/catalog/`)
        route = route_of(path, routes)
        if route is None:
            found.append(f"{doc.name}:{n}: {path} is no route of the OpenAPI document")
        elif method and method.lower() not in routes[route]:
            found.append(f"{doc.name}:{n}: {route} takes no {method}")
    return found


# -- demo ids --------------------------------------------------------------------------


def id_forms() -> dict[str, PublicId]:
    """Every kind of public id, as the parts' contracts define them."""
    forms = {}
    for part in platform.parts():
        contract = part.contract_module()
        for value in vars(contract).values() if contract else ():
            if isinstance(value, PublicId):
                forms[value.prefix] = value
    return forms


def demo_ids_shown(doc: Page, forms: dict[str, PublicId]) -> list[tuple[int, str]]:
    prefixes = "|".join(sorted(map(re.escape, forms), key=len, reverse=True))
    return [
        (n, m.group(0))
        for n, line in enumerate(doc.text.splitlines(), start=1)
        for m in re.finditer(rf"\b(?:{prefixes})\d{{3,}}\b", line)
    ]


def id_problems(doc: Page, forms: dict[str, PublicId], made: set[str]) -> list[str]:
    return [
        f"{doc.name}:{n}: {shown} is no record of the demo data"
        for n, shown in demo_ids_shown(doc, forms)
        if shown not in made
    ]


# -- make targets ----------------------------------------------------------------------


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([A-Za-z0-9_.-]+):(?!=)", text, flags=re.M))


def make_problems(doc: Page, targets: set[str]) -> list[str]:
    code = [*doc.spans(), *doc.code_lines()]
    return [
        f"{doc.name}:{n}: make {target} is no target of the Makefile"
        for n, text in code
        for target in re.findall(r"\bmake ([a-z][\w-]*)", text)
        if target not in targets
    ]


# -- settings --------------------------------------------------------------------------


def known_settings() -> set[str]:
    """config/pustaka.yaml's keys as the environment names them; the keys every part
    has without a line of its own there; each part's replica count."""
    config = yaml.safe_load((ROOT / "config" / "pustaka.yaml").read_text())
    every_part = {"DATABASE_URL", broker_users.password_variable("x").split("__", 1)[1]}
    names = set(every_part)
    for key, value in config.items():
        if isinstance(value, dict):
            names |= {k.upper() for k in value}
            names |= {f"{key.upper()}__{k.upper()}" for k in value}
        else:
            names.add(key.upper())
    for part in platform.parts():
        names |= {f"{part.name.upper()}__{k}" for k in every_part}
        names.add(f"{part.name.upper()}_REPLICAS")
    return names


@functools.cache
def code_text() -> str:
    """The repository's modules, Makefile and CI script, as one text."""
    top = [ROOT / name for name in sorted(tracked_top_level())]
    files = [ROOT / "Makefile", ROOT / ".ci" / "run"]
    files += [f for d in top if d.is_dir() for f in sorted(d.rglob("*.py"))]
    files.remove(Path(__file__).resolve())  # whose examples of a wrong name are no code
    return "\n".join(f.read_text(errors="replace") for f in files)


def read_by_code(name: str) -> bool:
    """An environment variable the code itself reads (`PUSTAKA_TEST_POSTGRES`, a
    benchmark's `BENCH_SECONDS`): the name is written in a module, the Makefile or CI."""
    return re.search(rf"\b{re.escape(name)}\b", code_text()) is not None


def settings_shown(doc: Page) -> list[tuple[int, str]]:
    """Names a code span is (`RPC_TIMEOUT_SECONDS`) or assigns (`CATALOG_REPLICAS=3
    make up`), and names a code block assigns."""
    shown = []
    for n, span in doc.spans():
        whole = re.fullmatch(rf"({SETTING})(?:=\S*)?", span.strip())
        shown += [(n, whole.group(1))] if whole else []
        shown += [(n, name) for name in re.findall(rf"(?:^|\s)({SETTING})=", span) if not whole]
    for n, line in doc.code_lines():
        shown += [(n, name) for name in re.findall(rf"(?:^|\s)({SETTING})=", line)]
    return shown


def setting_problems(doc: Page, settings: set[str]) -> list[str]:
    return [
        f"{doc.name}:{n}: {name} is no setting of config/pustaka.yaml"
        for n, name in settings_shown(doc)
        if name not in settings and not read_by_code(name)
    ]


# -- the docs as they are --------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_ids(tmp_path_factory) -> set[str]:
    """Every public id of a record the demo makes, loaded as `make up` loads it (each
    part's demo into its own new SQLite database), read back through each model's
    own `id`."""
    config = platform.load_config(environ={})
    config["DATA_DIR"] = str(tmp_path_factory.mktemp("demo"))
    list(platform.migrate(config))
    list(platform.load_demos(config))
    made = set()
    for part in platform.parts():
        db = platform.database(config, part)
        try:
            with db.reading() as session:
                for mapper in part.models().registry.mappers:
                    model = mapper.class_
                    if isinstance(getattr(model, "id", None), property) and "seq" in mapper.c:
                        made |= {row.id for row in session.query(model)}
        finally:
            db.engine.dispose()
    return made


@pytest.fixture(scope="module")
def routes() -> dict:
    from gateway.edge.openapi import build_spec
    from pustaka.gateway import GatewayService

    return build_spec(GatewayService)["paths"]


def test_there_are_pages_to_check():
    assert ROOT / "README.md" in PAGES and len(PAGES) > 5


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_what_a_page_names_exists(path, routes, demo_ids):
    doc = page(path)
    problems = [
        *link_problems(doc),
        *path_problems(doc, tracked_top_level()),
        *http_problems(doc, routes),
        *id_problems(doc, id_forms(), demo_ids),
        *make_problems(doc, make_targets()),
        *setting_problems(doc, known_settings()),
    ]
    assert not problems, "\n".join(problems)


# -- each check fails where it must ----------------------------------------------------


def broken(text: str) -> Page:
    return Page(ROOT / "docs" / "broken.md", text)


def test_a_link_to_nothing_is_found():
    found = link_problems(broken("[a](nowhere.md) [b](adding-a-service.md) [c](index.md)"))
    assert found == ["docs/broken.md:1: the link nowhere.md leads nowhere"]


def test_a_path_not_in_the_repository_is_found():
    doc = broken("`services/catalog/postings.py`, `chassis/nowhere.py`, `var/demo-admin.key`")
    assert path_problems(doc, tracked_top_level()) == [
        "docs/broken.md:1: `chassis/nowhere.py` is not in the repository"
    ]


def test_a_path_that_is_no_route_is_found(routes):
    doc = broken(
        "`GET /v1/catalog/titles/T000001`, `/acara`, `/v1/catalog/nowhere`, `PATCH /acara`\n"
        "```sh\ncurl -d '{}' http://127.0.0.1:8000/v1/people/programmes/PRG000001\n```"
    )
    assert http_problems(doc, routes) == [
        "docs/broken.md:1: /v1/catalog/nowhere is no route of the OpenAPI document",
        "docs/broken.md:1: /acara takes no PATCH",
        "docs/broken.md:3: /v1/people/programmes/{programme_id} takes no POST",
    ]


def test_an_id_the_demo_does_not_make_is_found(demo_ids):
    doc = broken("T000001 and T0000001 (a digit too many), PRG000001 and PRG000999")
    assert id_problems(doc, id_forms(), demo_ids) == [
        "docs/broken.md:1: T0000001 is no record of the demo data",
        "docs/broken.md:1: PRG000999 is no record of the demo data",
    ]


def test_a_make_target_not_in_the_makefile_is_found():
    doc = broken("`make up`, then\n```sh\nmake test\nmake deploy\n```")
    assert make_problems(doc, make_targets()) == [
        "docs/broken.md:4: make deploy is no target of the Makefile"
    ]


def test_a_setting_not_in_the_configuration_is_found():
    doc = broken(
        "`RPC_TIMEOUT_SECONDS`, `WEBHOOKS__GIVE_UP_SECONDS`, `CATALOG__DATABASE_URL`,"
        " `RPC_TIMEOUT_SECOND`, `CATALOG_REPLICAS=3 make up`\n"
        "```sh\nPUSTAKA_TEST_POSTGRES=x GATEWAY_RATE_LIMITS=5 make up\n```"
    )
    assert setting_problems(doc, known_settings()) == [
        "docs/broken.md:1: RPC_TIMEOUT_SECOND is no setting of config/pustaka.yaml",
        "docs/broken.md:3: GATEWAY_RATE_LIMITS is no setting of config/pustaka.yaml",
    ]
