"""scripts/serve.py answers with a file's precompressed sibling when the browser accepts it, as
hosts that serve precompressed files do, and with the plain file otherwise."""

import gzip
import os
import urllib.request
import zlib
from pathlib import Path

import pytest

serve = pytest.importorskip("serve")  # scripts/ is on the path in CPython runs only


@pytest.fixture
def site(tmp_path: Path):
    js = b"export const answer = 42;\n" * 200
    (tmp_path / "app.js").write_bytes(js)
    (tmp_path / "app.js.br").write_bytes(b"brotli-bytes")  # the server does not decode: any bytes do
    (tmp_path / "app.js.gz").write_bytes(gzip.compress(js))
    (tmp_path / "plain.txt").write_text("no sibling")
    server, base = serve.serve_in_thread({"/site/": tmp_path})
    yield tmp_path, base + "/site/"
    server.shutdown()


def get(url: str, accept: str | None) -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": accept} if accept else {})
    with urllib.request.urlopen(request) as response:
        return response.read(), {k.lower(): v for k, v in response.headers.items()}


def test_brotli_first_then_gzip_then_plain(site):
    folder, base = site
    body, headers = get(base + "app.js", "gzip, deflate, br")
    assert (body, headers["content-encoding"]) == (b"brotli-bytes", "br")
    assert headers["content-type"].startswith("text/javascript")  # the type of the file it stands for
    assert headers["vary"] == "Accept-Encoding"

    body, headers = get(base + "app.js", "gzip")
    assert headers["content-encoding"] == "gzip"
    assert zlib.decompress(body, 31) == (folder / "app.js").read_bytes()

    body, headers = get(base + "app.js", "br;q=0, identity")
    assert "content-encoding" not in headers and body == (folder / "app.js").read_bytes()
    assert headers["vary"] == "Accept-Encoding"


def test_files_without_siblings_and_stale_siblings_are_served_plain(site):
    folder, base = site
    body, headers = get(base + "plain.txt", "br, gzip")
    assert body == b"no sibling" and "content-encoding" not in headers and "vary" not in headers
    # The file edited after the build: its old compressed copies must not be served.
    later = os.path.getmtime(folder / "app.js.br") + 10
    os.utime(folder / "app.js", (later, later))
    body, headers = get(base + "app.js", "br, gzip")
    assert "content-encoding" not in headers and body == (folder / "app.js").read_bytes()


def test_accepted_encodings_reads_q_values():
    assert serve.accepted_encodings("gzip, deflate, br") == {"gzip", "deflate", "br"}
    assert serve.accepted_encodings("br;q=0, gzip;q=0.5") == {"gzip"}
    assert serve.accepted_encodings("") == set()
