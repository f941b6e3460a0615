"""Serve a static folder on 127.0.0.1, optionally under a sub-path like GitHub Pages does.

Plain static serving only (no special headers), so what works here works on GitHub Pages. Like
hosts that serve precompressed files (GitLab Pages, nginx gzip_static), it answers with a file's
`.br` or `.gz` sibling (scripts/precompress.mjs writes them at build) when the browser accepts it.
Extra mounts (`--mount /prefix/=folder`) let tests serve model files and test wheels beside dist/.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import mimetypes
import os
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent

# Types some systems' mime tables lack; wrong ones break module and wasm loading.
for ext, kind in {
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".wasm": "application/wasm",
    ".whl": "application/zip",
    ".toml": "text/plain",
    ".gguf": "application/octet-stream",
    ".webmanifest": "application/manifest+json",
}.items():
    mimetypes.add_type(kind, ext)


# Precompressed siblings, best first: (Content-Encoding, file suffix).
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


def accepted_encodings(header: str) -> set[str]:
    """The codings an Accept-Encoding header allows (a zero q-value refuses one)."""
    out = set()
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if name and params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            out.add(name.strip().lower())
    return out


class MountedHandler(SimpleHTTPRequestHandler):
    """Maps URL prefixes to folders; the longest matching prefix wins."""

    mounts: ClassVar[dict[str, Path]] = {}
    quiet = True
    # When a list, every full response (status 200) is recorded as (monotonic time, path, bytes):
    # benchmarks count what a visit moves, service-worker fetches included, which the page can't see.
    ledger: ClassVar[list[tuple[float, str, int]] | None] = None
    _status = 0
    _encoding: str | None = None  # the Content-Encoding of the sibling being served
    _plain = ""  # the file it stands for (its type is the response's type)
    _has_sibling = False

    def send_response(self, code: int, message: str | None = None) -> None:
        self._status = code
        super().send_response(code, message)

    def send_header(self, keyword: str, value: str) -> None:
        if self.ledger is not None and self._status == 200 and keyword.lower() == "content-length":
            self.ledger.append((time.monotonic(), urlsplit(self.path).path, int(value)))
        super().send_header(keyword, value)

    def translate_path(self, path: str) -> str:
        target = self._mounted_path(path)
        self._encoding, self._plain, self._has_sibling = None, target, False
        if os.path.isfile(target):
            accepted = accepted_encodings(self.headers.get("Accept-Encoding", ""))
            chosen: tuple[str, str] | None = None
            for coding, suffix in ENCODINGS:
                # A sibling older than its file is stale (the file was edited after the build).
                sibling = target + suffix
                if os.path.isfile(sibling) and os.path.getmtime(sibling) >= os.path.getmtime(target):
                    self._has_sibling = True
                    if chosen is None and coding in accepted:
                        chosen = (coding, sibling)
            if chosen:
                self._encoding = chosen[0]
                return chosen[1]
        return target

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        # A sibling has the type of the file it stands for.
        return super().guess_type(self._plain if self._encoding else path)

    def _mounted_path(self, path: str) -> str:
        url_path = unquote(urlsplit(path).path)
        for prefix in sorted(self.mounts, key=len, reverse=True):
            if url_path.startswith(prefix):
                rel = url_path[len(prefix):].lstrip("/")
                base = self.mounts[prefix].resolve()
                target = (base / rel).resolve()
                if base != target and base not in target.parents:
                    return str(base / "__forbidden__")
                return str(target)
        return str(ROOT / "__not_mounted__")

    def do_GET(self) -> None:
        url_path = urlsplit(self.path).path
        if url_path == "/" and "/" not in self.mounts:
            # Send visitors of the bare host to the app's sub-path.
            self.send_response(302)
            self.send_header("Location", next(iter(self.mounts)))
            self.end_headers()
            return
        super().do_GET()

    def end_headers(self) -> None:
        # Revalidate on every load so a rebuilt app is picked up; unchanged files answer 304.
        self.send_header("Cache-Control", "no-cache")
        if self._encoding:
            self.send_header("Content-Encoding", self._encoding)
        if self._has_sibling:
            self.send_header("Vary", "Accept-Encoding")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        if not self.quiet:
            super().log_message(format, *args)


def make_server(
    mounts: dict[str, Path], host: str = "127.0.0.1", port: int = 8000, quiet: bool = True,
    ledger: list[tuple[float, str, int]] | None = None,
) -> ThreadingHTTPServer:
    attrs = {"mounts": dict(mounts), "quiet": quiet, "ledger": ledger}
    handler = type("Handler", (MountedHandler,), attrs)
    server = ThreadingHTTPServer((host, port), functools.partial(handler))
    server.daemon_threads = True
    return server


def serve_in_thread(
    mounts: dict[str, Path], port: int = 0, ledger: list[tuple[float, str, int]] | None = None
) -> tuple[ThreadingHTTPServer, str]:
    """Start a server on a free port (tests, benchmarks); returns it and its base URL."""
    server = make_server(mounts, port=port, ledger=ledger)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def parse_mount(text: str) -> tuple[str, Path]:
    prefix, _, folder = text.partition("=")
    return "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/", Path(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=ROOT / "dist")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--prefix", default="/", help="sub-path to serve the app under")
    parser.add_argument("--mount", action="append", default=[], help="/prefix/=folder")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    mounts = dict([parse_mount(f"{args.prefix}={args.dir}"), *map(parse_mount, args.mount)])
    server = make_server(mounts, port=args.port, quiet=not args.verbose)
    prefix = parse_mount(args.prefix + "=")[0]
    print(f"BookMusic is being served at http://127.0.0.1:{args.port}{prefix}  (Ctrl+C stops)")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
