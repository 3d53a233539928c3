"""Reading other projects' mlrefarch.json (sphinx_mlrefarch.imports): config, files, HTTP, models.

The files are written by real builds of small projects; the HTTP sources are
a server on 127.0.0.1 started by the test. A guard fails any test that tries
to connect anywhere else, so the suite never touches the network.
"""

from __future__ import annotations

import json
import pickle
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from http_fixtures import Server, body, garbage, page, redirect, serve, slow, trickle
from sphinx.cmd.build import build_main

from sphinx_mlrefarch import import_fetch
from sphinx_mlrefarch.export import FORMAT_VERSION, export_schema
from sphinx_mlrefarch.imports import (
    DEFAULT_TIMEOUT,
    ImportedProject,
    ImportSpec,
    check_compatibility,
    link,
    load_import,
    parse_import_config,
    parse_timeout,
)
from sphinx_mlrefarch.model import load_model
from sphinx_mlrefarch.status import Priority, SolutionStatus, Status, Via

FRAUD = """\
Fraud detection
===============

.. solution:: Fraud detection
   :id: fraud
   :owner: Risk team
   :status: proposed
   :required: data, data-tools, hosting

.. abb:: data-tools
   :status: partial
   :sbb: pandas, Polars

.. abb:: networking
   :status: not-applicable

   Batch scoring only; no network path of its own.

.. constraint:: Card data stays in the EU
   :id: eu-only
   :aspect: security
   :affects: data, storage
   :priority: should
   :source: PCI DSS 4.0

.. hosting-choice:: Cloud cluster
   :environment: production, training
   :platform: cloud
   :provider: Example Cloud
   :compute: gpu
   :containers: Kubernetes
"""

SCORING = """\
Credit scoring
==============

.. solution:: Credit scoring
   :status: accepted
   :required: data

.. abb:: data
   :sbb: PostgreSQL
"""

MODEL = """\
schema: 1
extends: default
id: monitoring-model
title: Monitoring model
blocks:
  - id: feature-store
    title: Feature Store
    layer: data
    summary: Features computed once, served to training and inference.
"""

DRIFT = """\
Drift watch
===========

.. solution:: Drift watch
   :id: drift
   :required: data, feature-store

.. abb:: feature-store

.. abb:: data
   :status: planned

.. constraint:: Features are versioned
   :aspect: security
   :affects: feature-store, data
"""

DEFAULT = load_model(None).model
assert DEFAULT is not None
BLOCKS = [b.id for b in DEFAULT.blocks]


def build(root: Path, files: dict[str, str], conf: str = "") -> Path:
    """Build a project with the html builder; returns its mlrefarch.json."""
    src = root / "src"
    src.mkdir(parents=True)
    (src / "conf.py").write_text('extensions = ["sphinx_mlrefarch"]\n' + conf, "utf-8")
    for name, text in files.items():
        (src / name).write_text(text, "utf-8")
    out = root / "html"
    assert build_main(["-q", "-b", "html", str(src), str(out)]) == 0
    return out / "mlrefarch.json"


@pytest.fixture(scope="module")
def payments(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mlrefarch.json of a real build: two solutions, the default model."""
    toctree = ".. toctree::\n\n   fraud\n   scoring\n"
    files = {"index.rst": f"Payments\n========\n\n{toctree}", "fraud.rst": FRAUD}
    files["scoring.rst"] = SCORING
    return build(tmp_path_factory.mktemp("payments"), files)


@pytest.fixture(scope="module")
def monitoring(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mlrefarch.json of a project whose model adds the block ``feature-store``."""
    files = {"index.rst": DRIFT, "model.yaml": MODEL}
    root = tmp_path_factory.mktemp("monitoring")
    return build(root, files, 'mlrefarch_model = "model.yaml"\n')


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that connects beyond 127.0.0.1, and keep proxies out of the way."""
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setenv("NO_PROXY", "*")
    real = socket.socket.connect

    def connect(sock: socket.socket, address: Any) -> None:
        if not (isinstance(address, tuple) and address[0] == "127.0.0.1"):
            raise AssertionError(f"a test tried to connect to {address!r}")
        real(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


def spec(source: str | Path, name: str = "payments", url: str | None = None) -> ImportSpec:
    return ImportSpec(name, str(source), url)


def one_problem(result: Any) -> str:
    assert result.project is None
    assert len(result.problems) == 1, result.problems
    return str(result.problems[0])


def edited(tmp_path: Path, source: Path, change: Any, name: str = "edited.json") -> Path:
    """A copy of ``source`` with ``change(data)`` applied."""
    data = json.loads(source.read_text("utf-8"))
    change(data)
    target = tmp_path / name
    target.write_text(json.dumps(data), "utf-8")
    return target


# -- a valid import ------------------------------------------------------------------------


def test_a_real_build_imports_with_solutions_coverage_and_declarations(payments: Path) -> None:
    result = load_import(spec(payments), payments.parent)
    assert result.problems == []
    project = result.project
    assert project is not None
    assert project.model_id == DEFAULT.id
    assert project.model_blocks == tuple(BLOCKS)
    assert [s.id for s in project.solutions] == ["credit-scoring", "fraud"]

    fraud = project.solution("fraud")
    assert fraud is not None
    assert fraud.address == "payments:fraud"
    assert (fraud.title, fraud.owner, fraud.docname) == ("Fraud detection", "Risk team", "fraud")
    assert fraud.status is SolutionStatus.PROPOSED
    cov = fraud.coverage
    assert (cov.required, cov.satisfied, cov.percent) == (3, 2, 66.7)
    assert cov.missing == ("data",)
    assert cov.required_blocks == ("data", "data-tools", "hosting")
    assert [block for block, _ in cov.blocks] == BLOCKS
    assert cov.status_of("data-tools") is Status.PARTIAL
    assert cov.status_of("networking") is Status.NOT_APPLICABLE
    assert cov.status_of("data") is Status.MISSING

    by_block = {d.block: d for d in fraud.declarations}
    assert set(by_block) == {"data-tools", "networking", "hosting", "containers", "compute"}
    assert by_block["data-tools"].sbb == ("pandas", "Polars")
    assert by_block["data-tools"].status is Status.PARTIAL
    assert by_block["data-tools"].via is Via.ABB
    assert by_block["containers"].via is Via.HOSTING_CHOICE

    (constraint,) = fraud.constraints
    assert (constraint.id, constraint.title, constraint.aspect) == (
        "eu-only",
        "Card data stays in the EU",
        "security",
    )
    assert constraint.affects == ("data", "storage")
    assert constraint.priority is Priority.SHOULD
    assert constraint.source == "PCI DSS 4.0"
    (hosting,) = fraud.hosting
    assert (hosting.title, hosting.platform) == ("Cloud cluster", "cloud")
    assert hosting.environment == ("production", "training")
    assert (hosting.provider, hosting.compute, hosting.containers) == (
        "Example Cloud",
        ("gpu",),
        "Kubernetes",
    )
    assert (hosting.storage, hosting.network, hosting.availability) == ("", "", "")

    # The html builder wrote page#anchor uris; another project links them under its url.
    assert fraud.uri == "fraud.html#solution-fraud"
    assert by_block["data-tools"].uri == "fraud.html#abb-data-tools"
    assert constraint.uri == "fraud.html#constraint-eu-only"
    assert hosting.uri is not None and hosting.uri.startswith("fraud.html#")
    base = "https://docs.example.org/payments/"
    linked = load_import(spec(payments, url=base), payments.parent).project
    assert linked is not None
    assert link(linked, by_block["data-tools"].uri) == f"{base}fraud.html#abb-data-tools"
    assert link(project, fraud.uri) is None  # a path source without url: unlinked


def test_optional_fields_absent_from_the_file_read_as_empty(payments: Path, tmp_path: Path) -> None:
    def strip(data: dict[str, Any]) -> None:  # as a writer that did not have them yet
        fraud = data["solutions"]["fraud"]
        for item in fraud["constraints"]:
            del item["source"]
        for item in fraud["hosting"]:
            for key in ("provider", "containers", "storage", "network", "availability"):
                item.pop(key, None)

    project = load_import(spec(edited(tmp_path, payments, strip)), tmp_path).project
    assert project is not None
    fraud = project.solution("fraud")
    assert fraud is not None
    assert fraud.constraints[0].source == ""
    assert (fraud.hosting[0].provider, fraud.hosting[0].containers) == ("", "")
    assert fraud.hosting[0].compute == ("gpu",)


def test_records_compare_hash_and_pickle(payments: Path, tmp_path: Path) -> None:
    first = load_import(spec(payments), payments.parent).project
    again = load_import(spec(payments), payments.parent).project
    assert first is not None
    assert first == again
    assert hash(first) == hash(again)
    assert pickle.loads(pickle.dumps(first)) == first
    # Positive control: a changed file gives an unequal import (that is what re-renders pages).
    changed = edited(tmp_path, payments, lambda d: d["solutions"]["fraud"].update(owner="Ops"))
    assert load_import(spec(changed), tmp_path).project != first


def test_unknown_extra_keys_are_accepted(payments: Path, tmp_path: Path) -> None:
    def grow(data: dict[str, Any]) -> None:
        # keys this release does not define, as a later writer of version 1 may add them
        data["inventory"] = {"id": "default", "entries": []}
        fraud = data["solutions"]["fraud"]
        fraud["reviewers"] = ["office"]
        for decl in fraud["declarations"]:
            decl["evidence"] = [{"name": n, "id": None} for n in decl["sbb"]]
        data["model"]["layers"][0]["extra"] = True

    grown = edited(tmp_path, payments, grow)
    document = json.loads(grown.read_text("utf-8"))
    # Positive control: the shipped schema as such refuses this document ...
    assert list(jsonschema.Draft202012Validator(export_schema()).iter_errors(document))
    # ... the reader does not: a newer writer of the same format version adds optional keys.
    result = load_import(spec(grown), tmp_path)
    assert result.problems == []
    assert result.project is not None


def test_uris_become_links_under_the_projects_url(payments: Path, tmp_path: Path) -> None:
    def add_uris(data: dict[str, Any]) -> None:
        # As a writer that gives uris to declarations only (or an older one, without any).
        for sid, solution in data["solutions"].items():
            solution.pop("uri", None)
            for i, decl in enumerate(solution["declarations"]):
                decl["uri"] = f"{solution['docname']}.html#abb-{sid}-{decl['block']}-{i}"
            for item in solution["constraints"] + solution["hosting"]:
                item["uri"] = f"{solution['docname']}.html#item"
        data["solutions"]["credit-scoring"]["uri"] = "scoring.html#credit-scoring"
        data["solutions"]["credit-scoring"]["declarations"][0]["uri"] = None

    with_uris = edited(tmp_path, payments, add_uris)
    base = "https://docs.example.org/payments/"
    project = load_import(spec(with_uris, url=base), tmp_path).project
    assert load_import(spec(with_uris, url=base), tmp_path).problems == []
    assert project is not None
    fraud, scoring = project.solution("fraud"), project.solution("credit-scoring")
    assert fraud is not None and scoring is not None
    assert fraud.uri == "fraud.html"  # the page of its first declaration
    assert scoring.uri == "scoring.html#credit-scoring"  # its own uri wins
    first = fraud.declarations[0]
    assert link(project, first.uri) == f"{base}{first.uri}"
    assert link(project, fraud.constraints[0].uri) == f"{base}fraud.html#item"
    assert link(project, fraud.hosting[0].uri) == f"{base}fraud.html#item"
    assert link(project, None) is None
    unlinked = load_import(spec(with_uris), tmp_path).project
    assert unlinked is not None
    assert link(unlinked, first.uri) is None


@pytest.mark.parametrize(
    "uri",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "//evil.example/x",
        "/root.html",
        " a.html",
        "java\tscript:alert(1)",
        "https://elsewhere.example/a.html",
        "",
    ],
)
def test_link_refuses_uris_that_are_not_relative(uri: str) -> None:
    project = ImportedProject("p", "p.json", "https://docs.example.org/p/", "m", (), ())
    assert link(project, uri) is None
    assert link(project, "ok.html#a") == "https://docs.example.org/p/ok.html#a"  # control


def test_link_keeps_the_dots_of_a_relative_url() -> None:
    (relative,), problems = parse_import_config({"p": {"source": "p.json", "url": "../p"}}, ".")
    assert problems == []
    assert relative.url == "../p/"
    project = ImportedProject("p", "p.json", relative.url, "m", (), ())
    assert link(project, "fraud.html#x") == "../p/fraud.html#x"


# -- file failure modes --------------------------------------------------------------------


def write(tmp_path: Path, data: bytes | str, name: str = "mlrefarch.json") -> Path:
    target = tmp_path / name
    target.write_bytes(data.encode() if isinstance(data, str) else data)
    return target


def test_missing_file(tmp_path: Path) -> None:
    message = one_problem(load_import(spec("../payments/mlrefarch.json"), tmp_path))
    assert message.startswith("mlrefarch_import['payments']: cannot import '../payments/")
    assert "no such file" in message
    assert str((tmp_path / "../payments/mlrefarch.json").resolve()) in message


def test_a_directory_instead_of_a_file(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    message = one_problem(load_import(spec("html"), tmp_path))
    assert "is a directory, not a file" in message
    assert "'html/mlrefarch.json'" in message


def test_a_path_through_a_file_cannot_be_read(tmp_path: Path) -> None:
    write(tmp_path, "{}", "plain.txt")
    message = one_problem(load_import(spec("plain.txt/mlrefarch.json"), tmp_path))
    assert "cannot read" in message
    assert "Not a directory" in message


@pytest.mark.parametrize("data", [b"", b"  \n\t\n"])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    message = one_problem(load_import(spec(write(tmp_path, data)), tmp_path))
    assert "it is empty" in message


def test_not_utf8(tmp_path: Path) -> None:
    source = write(tmp_path, '{"model": "Modèle"}'.encode("latin-1"))
    assert "not UTF-8 text (byte 0xe8 at offset 14)" in one_problem(
        load_import(spec(source), tmp_path)
    )


def test_a_byte_order_mark_is_fine(payments: Path, tmp_path: Path) -> None:
    source = write(tmp_path, b"\xef\xbb\xbf" + payments.read_bytes())
    assert load_import(spec(source), tmp_path).problems == []


def test_truncated_json_names_line_and_column(payments: Path, tmp_path: Path) -> None:
    text = payments.read_text("utf-8")
    source = write(tmp_path, text[: len(text) // 2])
    message = one_problem(load_import(spec(source), tmp_path))
    try:
        json.loads(text[: len(text) // 2])
    except json.JSONDecodeError as error:
        assert f"invalid JSON at line {error.lineno}:{error.colno}: {error.msg}" in message
    else:
        pytest.fail("the truncated text parsed")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{'version': 1}", "invalid JSON at line 1:2"),
        ('{"version": NaN}', "NaN is not a number JSON allows"),
        ('{"version": -Infinity}', "-Infinity is not a number JSON allows"),
        ("[" * 100_000, "nested too deeply"),
        ("[1, 2]", "expected a JSON object with 'version', 'model' and 'solutions', got a list"),
        ('"mlrefarch"', "got a string"),
        ('{"schema": 1, "id": "x"}', "not a valid mlrefarch.json at $: "),
    ],
)
def test_json_that_is_not_an_mlrefarch_json(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in one_problem(load_import(spec(write(tmp_path, text)), tmp_path))


def test_a_schema_error_names_its_json_path(payments: Path, tmp_path: Path) -> None:
    source = edited(tmp_path, payments, lambda d: d["solutions"]["fraud"].update(status="wip"))
    message = one_problem(load_import(spec(source), tmp_path))
    assert "not a valid mlrefarch.json at $.solutions.fraud.status: 'wip' is not one of" in message
    source = edited(tmp_path, payments, lambda d: d["model"].pop("blocks"))
    message = one_problem(load_import(spec(source), tmp_path))
    assert "at $.model: 'blocks' is a required property" in message


def test_a_newer_format_version_says_upgrade(payments: Path, tmp_path: Path) -> None:
    newer = FORMAT_VERSION + 1
    source = edited(tmp_path, payments, lambda d: d.update(version=newer, solutions=[]))
    message = one_problem(load_import(spec(source), tmp_path))
    assert f"format version {newer} was written by a newer sphinx-mlrefarch" in message
    assert message.endswith("upgrade sphinx-mlrefarch")
    # An older or odd version is simply not this format.
    source = edited(tmp_path, payments, lambda d: d.update(version=0), "old.json")
    assert "at $.version" in one_problem(load_import(spec(source), tmp_path))


def test_a_project_cannot_import_its_own_output(payments: Path, tmp_path: Path) -> None:
    # Another spelling of the same path, and before that build has written the file.
    own = tmp_path / "_build" / "html" / "mlrefarch.json"
    result = load_import(spec("sub/../_build/html/mlrefarch.json"), tmp_path, own_outputs=[own])
    assert "a project cannot import itself" in one_problem(result)
    # Control: another project's file is fine with the same own output.
    assert load_import(spec(payments), tmp_path, own_outputs=[own]).problems == []


def test_a_file_import_opens_no_network_connection(
    payments: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise OSError("network use in a file import")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    (only,), problems = parse_import_config({"payments": str(payments)}, tmp_path)
    assert problems == []
    result = load_import(only, tmp_path)
    assert result.problems == []
    assert result.project is not None
    # Positive control: the same patch does stop an http import.
    with serve({"/mlrefarch.json": body(payments.read_bytes())}) as server:
        web = load_import(spec(server.url("/mlrefarch.json")), tmp_path, timeout=2)
    assert "network use in a file import" in one_problem(web)


# -- http sources --------------------------------------------------------------------------


@pytest.fixture
def server(payments: Path) -> Iterator[Server]:
    data = payments.read_bytes()
    routes = {
        "/payments/mlrefarch.json": body(data),
        "/broken/mlrefarch.json": body(data[: len(data) // 3]),
        "/short/mlrefarch.json": body(data[:100], length=len(data)),
        "/slow/mlrefarch.json": slow(data),
        "/trickle/mlrefarch.json": trickle(data),
        "/latest/mlrefarch.json": redirect("/payments/mlrefarch.json"),
        "/moved/mlrefarch.json": redirect("/nowhere/mlrefarch.json"),
        "/ftp/mlrefarch.json": redirect("ftp://127.0.0.1:9/mlrefarch.json"),
        "/garbage": garbage,
        "/site": page(),
        "/site/": page(),
        "/site/index.html": page(),
        "/bare/page": page(b"\n  <html><body>Hi</body></html>", "application/octet-stream"),
        "/login/mlrefarch.json": page(),
        "/typed/mlrefarch.json": body(data, content_type="text/html"),
    }
    with serve(routes) as running:
        yield running


def web_import(server: Server, path: str, timeout: float = 5) -> Any:
    (found,), problems = parse_import_config({"payments": server.url(path)}, ".")
    assert problems == []
    return load_import(found, ".", timeout=timeout)


def test_http_import_with_the_default_url(server: Server) -> None:
    result = web_import(server, "/payments/mlrefarch.json")
    assert result.problems == []
    project = result.project
    assert project.url == server.url("/payments/")
    assert project.source == server.url("/payments/mlrefarch.json")
    assert [s.address for s in project.solutions] == ["payments:credit-scoring", "payments:fraud"]
    assert link(project, "fraud.html#a") == server.url("/payments/fraud.html#a")


def test_http_redirect_is_followed(server: Server, payments: Path) -> None:
    result = web_import(server, "/latest/mlrefarch.json")
    assert result.problems == []
    assert server.requests == ["/latest/mlrefarch.json", "/payments/mlrefarch.json"]
    # The links stay under the configured source's directory.
    assert result.project.url == server.url("/latest/")
    from_file = load_import(spec(payments), ".").project
    assert from_file is not None
    assert result.project.solutions == from_file.solutions


def test_http_404(server: Server) -> None:
    message = one_problem(web_import(server, "/nowhere.json"))
    assert message.endswith(": HTTP 404 Not Found")
    assert f"cannot import '{server.url('/nowhere.json')}'" in message


def test_http_404_after_a_redirect_names_where(server: Server) -> None:
    message = one_problem(web_import(server, "/moved/mlrefarch.json"))
    assert f"HTTP 404 Not Found (at {server.url('/nowhere/mlrefarch.json')}" in message


def test_http_redirect_to_another_scheme_is_not_followed(server: Server) -> None:
    message = one_problem(web_import(server, "/ftp/mlrefarch.json"))
    assert "redirected to 'ftp://127.0.0.1:9/mlrefarch.json', not an http(s) URL" in message


def test_http_invalid_json(server: Server) -> None:
    assert "invalid JSON at line" in one_problem(web_import(server, "/broken/mlrefarch.json"))


@pytest.mark.parametrize(
    ("path", "should_be", "typed"),
    [
        ("/site", "/site/mlrefarch.json", True),
        ("/site/", "/site/mlrefarch.json", True),
        ("/site/index.html", "/site/mlrefarch.json", True),
        ("/bare/page", "/bare/page/mlrefarch.json", False),
    ],
)
def test_http_html_page_says_to_name_the_file(
    server: Server, path: str, should_be: str, typed: bool
) -> None:
    message = one_problem(web_import(server, path))
    said = " (Content-Type text/html)" if typed else ""
    assert message == (
        f"mlrefarch_import['payments']: cannot import {server.url(path)!r}: the server answered "
        f"with an HTML page{said}, not mlrefarch.json; the source must name the mlrefarch.json "
        f"file itself, e.g. {server.url(should_be)!r}"
    )
    assert "invalid JSON" not in message and "hand-edited" not in message


def test_http_html_page_at_the_files_address_says_check_the_server(server: Server) -> None:
    message = one_problem(web_import(server, "/login/mlrefarch.json"))
    assert message.endswith(
        "the server answered with an HTML page (Content-Type text/html), not mlrefarch.json; "
        "check that the server publishes that project's mlrefarch.json at this address "
        "(a login or error page?)"
    )


def test_http_json_with_an_html_content_type_still_imports(server: Server) -> None:
    """Positive control: the body decides; a mislabelled mlrefarch.json is fine."""
    result = web_import(server, "/typed/mlrefarch.json")
    assert result.problems == [] and result.project is not None


def test_http_connection_closed_early(server: Server, payments: Path) -> None:
    message = one_problem(web_import(server, "/short/mlrefarch.json"))
    size = len(payments.read_bytes())
    assert message.endswith(f"the connection closed after 100 of {size} bytes")


def test_http_not_http_at_all(server: Server) -> None:
    assert "the download failed (BadStatusLine" in one_problem(web_import(server, "/garbage"))


@pytest.mark.parametrize("path", ["/slow/mlrefarch.json", "/trickle/mlrefarch.json"])
def test_http_timeout_bounds_the_whole_download(server: Server, path: str) -> None:
    # /trickle answers every read quickly (one byte per 0.05 s, for 4 s): only a deadline
    # on the whole download, not urllib's per-read timeout, stops it within 3 s.
    started = time.monotonic()
    message = one_problem(web_import(server, path, timeout=0.5))
    assert "timed out after 0.5 s" in message
    assert time.monotonic() - started < 3


def test_http_response_too_large(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_fetch, "MAX_BYTES", 1000)
    assert "the response is larger than" in one_problem(
        web_import(server, "/payments/mlrefarch.json")
    )


def test_connection_refused() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = load_import(spec(f"http://127.0.0.1:{port}/mlrefarch.json"), ".", timeout=2)
    assert one_problem(result).endswith(f"connection refused by 127.0.0.1:{port}")


def test_unknown_host(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    result = load_import(spec("https://docs.invalid/p/mlrefarch.json"), ".", timeout=2)
    assert one_problem(result).endswith("cannot resolve the host 'docs.invalid'")


# -- checking mlrefarch_import -------------------------------------------------------------


def test_config_shapes_and_url_defaults(tmp_path: Path) -> None:
    web = "https://ci.example.org/web/latest/mlrefarch.json?ref=main"
    value = {
        "payments": {
            "source": "../payments/_build/html/mlrefarch.json",
            "url": "https://docs.example.org/payments",
        },
        "risk": "../risk/mlrefarch.json",
        "web": {"source": web},
        "web-docs": {
            "source": "https://ci.example.org/docs/mlrefarch.json",
            "url": "https://docs.example.org/web/",
        },
        "win": "C:\\exports\\mlrefarch.json",
    }
    specs, problems = parse_import_config(value, tmp_path)
    assert problems == []
    got = {s.name: (s.source, s.url) for s in specs}
    assert got == {
        "payments": (
            "../payments/_build/html/mlrefarch.json",
            "https://docs.example.org/payments/",
        ),
        "risk": ("../risk/mlrefarch.json", None),
        "web": (web, "https://ci.example.org/web/latest/"),
        "web-docs": ("https://ci.example.org/docs/mlrefarch.json", "https://docs.example.org/web/"),
        "win": ("C:\\exports\\mlrefarch.json", None),
    }
    assert [s.is_url for s in specs] == [False, False, True, True, False]
    assert specs[1].path(tmp_path) == (tmp_path.parent / "risk" / "mlrefarch.json").resolve()
    assert specs[2].path(tmp_path) is None
    assert parse_import_config(None, tmp_path) == ([], [])
    assert parse_import_config({}, tmp_path) == ([], [])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["a.json"], "mlrefarch_import must be a dict of project name -> "),
        ("a.json", "not a string ('a.json'); importing nothing"),
        (
            {"Pay ments": "a.json"},
            "mlrefarch_import['Pay ments']: the name must be a slug such as 'pay-ments'",
        ),
        ({"": "a.json"}, "mlrefarch_import['']: the name must be a slug such as 'payments'"),
        ({1: "a.json"}, "mlrefarch_import[1]: the name must be a slug"),
        ({"p": ["a.json"]}, "mlrefarch_import['p'] must be a path or URL, or a dict with 'source'"),
        ({"p": {}}, "mlrefarch_import['p'] needs 'source'"),
        ({"p": {"source": " "}}, "mlrefarch_import['p'] needs 'source'"),
        ({"p": {"source": 3}}, "not a number (3)"),
        ({"p": "file:///srv/p/mlrefarch.json"}, "is a file: URL; only http(s) URLs or paths"),
        ({"p": "ftp://example.org/p.json"}, "is a ftp: URL; only http(s) URLs or paths"),
        ({"p": "http:///p/mlrefarch.json"}, "names no valid host"),
        ({"p": "http://[::1/p.json"}, "names no valid host"),
        ({"p": {"sorce": "a.json"}}, "unknown key 'sorce'; did you mean 'source'?"),
    ],
)
def test_config_problems_leave_the_entry_out(value: Any, expected: str) -> None:
    specs, problems = parse_import_config(value, ".")
    assert specs == []
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///srv/p/", "", 5])
def test_a_bad_url_only_unlinks_the_import(url: Any) -> None:
    specs, problems = parse_import_config({"p": {"source": "https://h/p/m.json", "url": url}}, ".")
    assert specs == [ImportSpec("p", "https://h/p/m.json", None)]
    (problem,) = problems
    assert problem.startswith(
        "mlrefarch_import['p']: 'url' must be the base of that project's HTML"
    )
    assert problem.endswith("its entries render unlinked")


def test_an_unknown_key_is_reported_and_the_import_kept() -> None:
    specs, problems = parse_import_config({"p": {"source": "a.json", "uri": "https://h/"}}, ".")
    assert specs == [ImportSpec("p", "a.json", None)]
    assert problems == ["mlrefarch_import['p']: unknown key 'uri'; did you mean 'url'?"]


def test_names_that_collide_and_sources_imported_twice(tmp_path: Path) -> None:
    value = {
        "Payments": "a.json",
        "payments": "b.json",
        "again": "./sub/../b.json",
        "web": "https://Docs.Example.org/p/mlrefarch.json",
        "web-again": "https://docs.example.org/p/mlrefarch.json",
    }
    specs, problems = parse_import_config(value, tmp_path)
    assert [s.name for s in specs] == ["payments", "web"]
    assert "mlrefarch_import: 'Payments' and 'payments' name the same project 'payments'" in (
        " ".join(problems)
    )
    assert "mlrefarch_import['again']: './sub/../b.json' is already imported as 'payments'" in (
        " ".join(problems)
    )
    assert any(p.startswith("mlrefarch_import['web-again']: ") for p in problems)
    assert len(problems) == 4  # and 'Payments' is not a slug


@pytest.mark.parametrize("value", [0, -1, "10", True, None, float("nan"), float("inf")])
def test_bad_timeouts_fall_back_to_the_default(value: Any) -> None:
    timeout, (problem,) = parse_timeout(value)
    assert timeout == DEFAULT_TIMEOUT == 10
    assert problem.startswith("mlrefarch_import_timeout must be a positive number of seconds")


def test_good_timeouts() -> None:
    assert parse_timeout(0.5) == (0.5, [])
    assert parse_timeout(30) == (30.0, [])


# -- fitting an import to this project's model ---------------------------------------------


def test_same_model_same_blocks_is_quiet(payments: Path) -> None:
    project = load_import(spec(payments), ".").project
    assert project is not None
    assert check_compatibility(project, DEFAULT.id, BLOCKS) == (project, [])
    assert check_compatibility(project, DEFAULT.id, BLOCKS[::-1]) == (project, [])


def test_another_model_id_leaves_the_import_out(payments: Path) -> None:
    project = load_import(spec(payments), ".").project
    assert project is not None
    left, (problem,) = check_compatibility(project, "office-model", BLOCKS)
    assert left is None
    assert problem == (
        f"mlrefarch_import['payments'] ({str(payments)!r}) was built with the model "
        f"{DEFAULT.id!r}, but this project uses 'office-model'; left out of the import, since "
        "blocks of two models cannot be compared: build that project with the model "
        "'office-model', or remove it from mlrefarch_import"
    )


def test_blocks_unknown_here_are_dropped_with_one_warning(monitoring: Path) -> None:
    project = load_import(spec(monitoring, name="monitoring"), ".").project
    assert project is not None
    drift = project.solution("drift")
    assert drift is not None and "feature-store" in drift.coverage.required_blocks
    fitted, problems = check_compatibility(project, "monitoring-model", BLOCKS)
    assert problems == [
        f"mlrefarch_import['monitoring'] ({str(monitoring)!r}) names building blocks this "
        "project's model does not have, left out of the import: 'feature-store'"
    ]
    assert fitted is not None
    after = fitted.solution("drift")
    assert after is not None
    assert "feature-store" not in fitted.model_blocks
    assert [d.block for d in after.declarations] == ["data"]
    assert "feature-store" not in dict(after.coverage.blocks)
    assert after.coverage.required_blocks == ("data", "data-tools")
    assert after.coverage.missing == ("data", "data-tools")
    assert after.constraints[0].affects == ("data",)
    # The figures stay what that project's build computed (feature-store counted there).
    assert (after.coverage.required, after.coverage.satisfied, after.coverage.percent) == (
        3,
        1,
        33.3,
    )
    # A model id that differs too: one problem, the import left out (no block listing).
    left, (only,) = check_compatibility(project, DEFAULT.id, BLOCKS)
    assert left is None and "'monitoring-model', but this project uses" in only


def test_blocks_the_imports_model_lacks_are_one_warning_and_not_missing(payments: Path) -> None:
    project = load_import(spec(payments), ".").project
    assert project is not None
    more = [*BLOCKS[:3], "model-monitoring", *BLOCKS[3:], "drift-watch"]
    fitted, (problem,) = check_compatibility(project, DEFAULT.id, more)
    assert fitted == project  # kept as it is
    assert problem == (
        f"mlrefarch_import['payments'] ({str(payments)!r}) was built with a version of the "
        f"model {DEFAULT.id!r} that lacks building blocks this project's model has: "
        "'model-monitoring', 'drift-watch'; its solutions show them as not in their model "
        "(not as missing); build that project with this project's model file to compare them"
    )
    fraud = fitted.solution("fraud")
    assert fraud is not None
    assert not fraud.coverage.knows("model-monitoring")
    assert "model-monitoring" not in fraud.coverage.required_blocks
    # positive control: a block its model has and its solution did not declare is known
    assert fraud.coverage.knows("data") and fraud.coverage.status_of("data") is Status.MISSING


def test_the_guard_refuses_other_hosts() -> None:
    # Positive control of loopback_only: what keeps this suite off the network.
    with socket.socket() as sock, pytest.raises(AssertionError, match="tried to connect"):
        sock.connect(("192.0.2.1", 80))
