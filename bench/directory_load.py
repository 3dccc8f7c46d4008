"""The public directory under load: gunicorn, production settings, wrk, three sizes in one run.

Usage (PostgreSQL and Redis on this machine; Debian's `wrk`):
    .venv/bin/python bench/directory_load.py [--sizes demo,20000,100000] [--seconds 3]

For each size it makes (or reuses) a database `miglobe_bench_<size>`: migrated, the demo
world loaded, `seed_scale` adding organisations up to the size, ANALYZEd. It serves each
database with gunicorn (two sync workers, production settings, its own Redis database as
cache) on a free loopback port, and drives every directory variant and the anchors (the
bare home page, a static file, the admin changelist searching the same word) with wrk,
interleaved: every round visits every URL on every size in turn. It prints medians, 95th
percentiles and throughput, the ratios the issue asks for, the first visit after a change
(the cache empty), the open-data streams (first byte, whole, worker memory) and the
search's query plans. Everything listens on 127.0.0.1; every wait and loop is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379")
SECRET = "bench-only-secret-key-not-for-production-0123456789"
MEDIA = tempfile.mkdtemp(prefix="miglobe-bench-media-")  # the demo's files, not the work tree's

DIRECTORY = [
    "/organisations/",
    "/organisations/?page=2",
    "/organisations/?page=3000",  # deep: near the end at 100k
    "/organisations/?sort=town",
    "/organisations/?q=Kulturverein",
    "/organisations/?q=klima",  # a prefix of compounds
    "/organisations/?q=ghanaishe",  # a typo: the trigram fallback
    "/organisations/?q=tuerkisch&scope=local",
    "/organisations/?country=GH&field=fairer-handel",
    "/organisations/?kind=association&scope=international&sort=town&page=2",
    "/organisations/statistics/",
    "/organisations/map/",
    "/sitemap.xml",
    "/sitemap-organisations.xml",
]
ANCHORS = [
    "/",  # the bare page: no queries
    "/static/css/miglobe.css",
    "/admin/actors/organisation/?q=Kulturverein",
]
STREAMS = ["/organisations.csv", "/organisations.json"]


def sizes(text: str) -> list[tuple[str, int]]:
    result = []
    for part in text.split(","):
        part = part.strip()
        result.append((part, 0) if part == "demo" else (f"{int(part) // 1000}k", int(part)))
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(database: str, *args: str, check=True) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{database}",
        "DEBUG": "true",
        "MEDIA_ROOT": MEDIA,
        "SECRET_KEY": SECRET,  # the servers' key: the admin's session must be valid there
    }
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=3600, check=False,
    )  # fmt: skip
    if check and done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} on {database}:\n{done.stderr[-3000:]}")
    return done.stdout


def prepare(label: str, target: int) -> str:
    """The database for one size, made or reused, migrated, filled and analysed."""
    database = f"miglobe_bench_{label}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            conn.execute(f'CREATE DATABASE "{database}"')
    manage(database, "migrate", "-v0")
    with psycopg.connect(f"{SERVER}/{database}") as conn:
        count = conn.execute("SELECT count(*) FROM actors_organisation").fetchone()[0]
    if count == 0:
        manage(database, "load_demo")
        with psycopg.connect(f"{SERVER}/{database}") as conn:
            count = conn.execute("SELECT count(*) FROM actors_organisation").fetchone()[0]
    if target > count:
        started = time.monotonic()
        manage(database, "seed_scale", "--organisations", str(target - count))
        print(f"  {label}: seed_scale added {target - count} in {time.monotonic() - started:.0f} s")
    with psycopg.connect(f"{SERVER}/{database}", autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return database


def admin_cookie(database: str) -> str:
    """A session of a superuser, for the admin changelist."""
    code = (
        "from django.test import Client; from core.models import User\n"
        "user, _ = User.objects.get_or_create(email='bench@example.org', "
        "defaults={'is_staff': True, 'is_superuser': True, 'name': 'Bench'})\n"
        "client = Client(); client.force_login(user); print(client.session.session_key)"
    )
    return "sessionid=" + manage(database, "shell", "-c", code).strip().splitlines()[-1]


@dataclass
class Server:
    label: str
    database: str
    redis_db: int
    static_root: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "miglobe.settings.production",
            "DATABASE_URL": f"{SERVER}/{self.database}",
            "REDIS_URL": f"{REDIS}/{self.redis_db}",
            "SECRET_KEY": SECRET,
            "SITE_URL": self.base,
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_ROOT": self.static_root,
            "SECURE_SSL_REDIRECT": "false",
            "MIGLOBE_STAFF_MFA_REQUIRED": "false",
            "MEDIA_ROOT": MEDIA,
        }
        self.process = subprocess.Popen(
            [
                PYTHON, "-m", "gunicorn", "miglobe.wsgi:application",
                "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--worker-class", "sync",
                "--log-level", "warning",
            ],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"gunicorn for {self.label} did not answer within 60 s")

    def workers(self) -> list[int]:
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def peak_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def wrk(url: str, seconds: int, connections: int, headers: list[str]) -> dict:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s",
               "-s", str(ROOT / "bench" / "wrk_report.lua")]  # fmt: skip
    for header in headers:
        command += ["-H", header]
    done = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 60, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def touch(database: str) -> None:
    """A change the directory shows (a field of action rewritten as it was): a new token."""
    with psycopg.connect(f"{SERVER}/{database}", autocommit=True) as conn:
        conn.execute(
            "UPDATE actors_fieldofaction SET position = position "
            "WHERE id = (SELECT min(id) FROM actors_fieldofaction)"
        )


def timed_get(url: str, headers: dict | None = None) -> tuple[float, float, int]:
    """Seconds to the first byte, seconds to the last, bytes."""
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **(headers or {})})
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=600) as response:
        first = response.read(1)
        ttfb = time.monotonic() - started
        size = len(first)
        while chunk := response.read(1 << 16):
            size += len(chunk)
    return ttfb, time.monotonic() - started, size


def plans(database: str) -> str:
    code = (
        "from actors.search import search, by_relevance\n"
        "from actors.selectors import organisations_published as p\n"
        "print('-- ?q=Kulturverein (page of 25, by relevance)')\n"
        "q = by_relevance(search(p(), 'Kulturverein'), 'Kulturverein')[:25]\n"
        "print(q.explain(analyze=True))\n"
        "print('-- ?q=ghanaishe (typo fallback)')\n"
        "print(search(p(), 'ghanaishe', forgive_typos=True)[:25].explain(analyze=True))\n"
        "print('-- unfiltered page')\n"
        "print(p().order_by('name', 'pk')[:25].explain(analyze=True))\n"
    )
    return manage(database, "shell", "-c", code)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="demo,20000,100000")
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=2)
    args = parser.parse_args()

    print("Preparing databases")
    chosen = sizes(args.sizes)
    databases = {label: prepare(label, target) for label, target in chosen}
    static_root = tempfile.mkdtemp(prefix="miglobe-bench-static-")
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True,
        env={**os.environ, "STATIC_ROOT": static_root, "DEBUG": "false", "SECRET_KEY": SECRET},
        timeout=600,
    )  # fmt: skip
    cookies = {label: admin_cookie(database) for label, database in databases.items()}
    servers = [
        Server(label, database, redis_db=10 + n, static_root=static_root)
        for n, (label, database) in enumerate(databases.items())
    ]
    try:
        for server in servers:
            server.start()
            admin = urllib.request.Request(
                server.base + ANCHORS[-1],
                headers={"Cookie": cookies[server.label], "X-Forwarded-Proto": "https"},
            )
            with urllib.request.urlopen(admin, timeout=60) as response:  # no login page
                if response.url != server.base + ANCHORS[-1]:
                    raise SystemExit(f"the admin sent {server.label}'s session to {response.url}")
        report(servers, cookies, args)
    finally:
        for server in servers:
            server.stop()


def report(servers: list[Server], cookies: dict[str, str], args) -> None:
    labels = [server.label for server in servers]
    urls = ANCHORS + DIRECTORY

    print("\nFirst visit after a change (cache empty), ms")
    cold: dict[tuple[str, str], float] = {}
    for url in DIRECTORY:
        for server in servers:
            touch(server.database)
            cold[url, server.label] = timed_get(server.base + url)[1] * 1000
        print(f"  {url:62}" + "".join(f"{cold[url, label]:>10.0f}" for label in labels))

    # The last touch made every entry but one stale: one visit each fills the cache again,
    # as the first visitors after a change would.
    for url in DIRECTORY:
        for server in servers:
            timed_get(server.base + url)

    runs: dict[tuple[str, str], list[dict]] = {}
    for _round in range(args.rounds):
        for url in urls:
            for server in servers:
                headers = ["X-Forwarded-Proto: https"]
                if url.startswith("/admin/"):
                    headers.append(f"Cookie: {cookies[server.label]}")
                result = wrk(server.base + url, args.seconds, args.connections, headers)
                if result["errors"]:
                    raise SystemExit(f"{url} on {server.label}: {result}")
                runs.setdefault((url, server.label), []).append(result)

    def p50(url, label):
        return statistics.median(r["p50"] for r in runs[url, label])

    def p95(url, label):
        return max(r["p95"] for r in runs[url, label])

    def rps(url, label):
        return statistics.mean(r["rps"] for r in runs[url, label])

    print(
        f"\nUnder load: wrk, {args.connections} connections, {args.rounds} rounds of "
        f"{args.seconds} s per URL and size, interleaved. median / p95 ms, requests/s"
    )
    print(f"| URL | {' | '.join(labels)} | {labels[-1]}/{labels[0]} median |")
    print("| --- |" + " --- |" * (len(labels) + 1))
    for url in urls:
        cells = [f"{p50(url, s):.1f} / {p95(url, s):.1f} / {rps(url, s):.0f}" for s in labels]
        growth = p50(url, labels[-1]) / p50(url, labels[0]) if p50(url, labels[0]) else 0
        print(f"| `{url}` | {' | '.join(cells)} | {growth:.2f}× |")

    print("\nThroughput as a share of the bare page's in the same run")
    for url in ["/organisations/", "/organisations/statistics/", "/organisations/map/"]:
        shares = [f"{rps(url, s) / rps('/', s):.2f}" for s in labels]
        print(f"  {url:30}" + "".join(f"{s:>8}" for s in shares))

    print("\nOpen data, streamed (first byte / whole / MB; gunicorn workers' peak memory)")
    for server in servers:
        for url in STREAMS:
            before = max(peak_rss_kb(pid) for pid in server.workers())
            ttfb, total, size = timed_get(server.base + url)
            after = max(peak_rss_kb(pid) for pid in server.workers())
            print(
                f"  {server.label:>5} {url:22} {ttfb * 1000:7.0f} ms {total:7.1f} s "
                f"{size / 1e6:7.1f} MB   peak {before / 1024:.0f} → {after / 1024:.0f} MB"
            )

    print(f"\nQuery plans at {servers[-1].label}")
    print(plans(servers[-1].database))


if __name__ == "__main__":
    main()
