"""A local OParl server for the tests: fixture JSON that follows the specification.

It serves System → Body → a paged list of papers (relative `links.next`), answers
`modified_since`, and can be told to break: 404, 500 (once or always), slow, invalid
JSON, wrong types, a list of 10,000 papers. Nothing leaves the machine.
"""

from __future__ import annotations

import datetime
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from werkzeug import Request, Response

PAGE = 3


def paper(n: int, base: str, *, name: str, reference: str, modified: str, **extra) -> dict:
    data = {
        "id": f"{base}/oparl/v1/paper/{n}",
        "type": "https://schema.oparl.org/1.1/Paper",
        "name": name,
        "reference": reference,
        "date": "2020-02-20",
        "paperType": "Kenntnisgabe öffentlich",
        "web": f"{base}/vorlage/{n}",
        "modified": modified,
    }
    data.update(extra)
    return data


@dataclass
class OParlServer:
    base: str
    papers: list[dict[str, Any]] = field(default_factory=list)
    break_with: str = ""  # "", "404", "500", "500-once", "slow", "invalid", "huge"
    seen_since: list[str] = field(default_factory=list)
    hits: int = 0

    def objects(self) -> dict[str, dict]:
        base = self.base
        return {
            "/oparl/v1/system": {
                "id": f"{base}/oparl/v1/system",
                "type": "https://schema.oparl.org/1.1/System",
                "body": "bodies",  # relative, as some servers send it
            },
            "/oparl/v1/meeting/7": {
                "id": f"{base}/oparl/v1/meeting/7",
                "name": "Sitzung des Integrationsrats",
                "start": "2020-03-12T17:00:00+01:00",
            },
            "/oparl/v1/organization/3": {
                "id": f"{base}/oparl/v1/organization/3",
                "name": "Integrationsrat",
            },
        }

    def handle(self, request: Request) -> Response:
        self.hits += 1
        if self.break_with == "404":
            return Response("nicht da", status=404)
        if self.break_with in ("500", "500-once"):
            if self.break_with == "500-once":
                self.break_with = ""
            return Response("kaputt", status=500)
        if self.break_with == "slow":
            time.sleep(1.5)
        if self.break_with == "invalid":
            return Response("{kein json", content_type="application/json")
        path = request.path
        if path == "/oparl/v1/bodies":
            return self.json({"data": [self.body()], "links": {}})
        if path == "/oparl/v1/body/1":
            return self.json(self.body())
        if path == "/oparl/v1/body/1/papers":
            return self.json(self.paper_page(request))
        if path.startswith("/oparl/v1/paper/"):
            for item in self.papers:
                if item["id"].endswith(path):
                    return self.json(item)
            return Response("nicht da", status=404)
        if path in self.objects():
            return self.json(self.objects()[path])
        return Response("nicht da", status=404)

    def body(self) -> dict:
        return {
            "id": f"{self.base}/oparl/v1/body/1",
            "type": "https://schema.oparl.org/1.1/Body",
            "name": "Stadt Eschweiler",
            "paper": f"{self.base}/oparl/v1/body/1/papers",
        }

    def paper_page(self, request: Request) -> dict:
        since = request.args.get("modified_since")
        if since:
            self.seen_since.append(since)
        if self.break_with == "huge":
            page = int(request.args.get("page", 1))
            data = [
                paper(n, self.base, name=f"Vorlage Nummer {n}", reference=f"{n}/26",
                      modified="2026-11-30T10:00:00+01:00")
                for n in range((page - 1) * 20, page * 20)
            ]  # fmt: skip
            links = {"next": f"?page={page + 1}"} if page < 500 else {}
            return {"data": data, "links": links}
        items = self.papers
        if since:
            cut = datetime.datetime.fromisoformat(since)
            items = [p for p in items if datetime.datetime.fromisoformat(p["modified"]) >= cut]
        page = int(request.args.get("page", 1))
        chunk = items[(page - 1) * PAGE : page * PAGE]
        links = {"next": f"papers?page={page + 1}"} if page * PAGE < len(items) else {}
        if since and links:
            links["next"] += "&" + urlencode({"modified_since": since})
        return {"data": chunk, "links": links}

    @staticmethod
    def json(data: dict) -> Response:
        return Response(json.dumps(data), content_type="application/json")
