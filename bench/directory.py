"""Benchmark of the public directory at scale (timings live here, never in tests).

Usage, against a PostgreSQL database of your own (it adds organisations):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/miglobe_bench \\
        .venv/bin/python bench/directory.py --organisations 20000

It migrates, fills the database with seed_scale when it has fewer organisations
than asked, ANALYZEs, then times the directory's pages and prints the query
count of each and the search's query plan.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "miglobe.settings.base")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from actors.models import Organisation  # noqa: E402
from actors.search import search  # noqa: E402

PAGES = [
    "/organisations/",
    "/organisations/?page=200",
    "/organisations/?q=ghanaischer+kulturverein",
    "/organisations/?q=klima",  # a prefix of compounds (Klimagerechtigkeit)
    "/organisations/?q=ghanaishe",
    "/organisations/?q=tuerkisch&scope=local",
    "/organisations/?country=GH&field=fairer-handel",
    "/organisations.json?scope=international",
    "/organisations.csv",
    "/sitemap.xml",
    "/sitemap-organisations.xml?p=4",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    missing = args.organisations - Organisation.objects.count()
    if missing > 0:
        started = time.perf_counter()
        call_command("seed_scale", organisations=missing)
        print(f"seed_scale: {missing} organisations in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{Organisation.objects.count()} organisations on {connection.vendor}")
    for url in PAGES:
        timings = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
                timings.append(time.perf_counter() - started)
        print(
            f"{url:55} {response.status_code} {len(ctx.captured_queries):3} queries "
            f"median {statistics.median(timings) * 1000:7.1f} ms"
        )
    print("\nPlan of a search:")
    print(search(Organisation.objects.all(), "ghanaischer kulturverein").explain(analyze=True))


if __name__ == "__main__":
    main()
