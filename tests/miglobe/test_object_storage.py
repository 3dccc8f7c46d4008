"""Uploads in S3-compatible object storage, for a web that runs on several hosts.

A local S3 server (moto's) stands in for the object store: receipts go into the
bucket, privately, come back through the receipt view, are part of a backup, and a
receipt missing from the bucket is a 404 that says so.
"""

import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from moto.server import ThreadedMotoServer

from core.backup import stored_files
from engagements.enums import EntryStatus
from tests.engagements.factories import ExpenseFactory
from tests.processes import free_port

ROOT = Path(__file__).resolve().parents[2]
RECEIPT = b"%PDF-1.4\n% Beleg Tagungsraum\n%%EOF\n"
BUCKET = "miglobe-belege"


@pytest.fixture
def object_store(monkeypatch):
    """A local S3 server with an empty private bucket; its endpoint URL."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in {
        "AWS_ACCESS_KEY_ID": "miglobe-test",
        "AWS_SECRET_ACCESS_KEY": "miglobe-test-secret",
        "AWS_DEFAULT_REGION": "eu-central-1",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=endpoint, region_name="eu-central-1")
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    try:
        yield endpoint, client
    finally:
        server.stop()


@pytest.fixture
def s3_media(object_store, settings):
    endpoint, client = object_store
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "eu-central-1",
                "location": "media",
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    return client


@pytest.mark.django_db
def test_a_receipt_goes_into_the_bucket_and_comes_back_only_through_the_view(client, s3_media):
    expense = ExpenseFactory(
        status=EntryStatus.SUBMITTED, receipt=ContentFile(RECEIPT, name="beleg.pdf")
    )

    keys = [item["Key"] for item in s3_media.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"media/{expense.receipt.name}"]
    # Private: the object store itself answers nobody without a signature.
    acl = s3_media.get_object_acl(Bucket=BUCKET, Key=keys[0])
    assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]
    assert list(stored_files(expense.receipt.storage)) == [expense.receipt.name]

    client.force_login(expense.advisor.user)
    url = reverse("workspace:expense_receipt", args=[expense.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == RECEIPT

    s3_media.delete_object(Bucket=BUCKET, Key=keys[0])
    response = client.get(url)
    assert response.status_code == 404
    assert 'id="file-missing"' in response.content.decode()


def test_the_environment_chooses_the_object_store_and_the_folder_stays_the_default():
    def backend(**env: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c",
             "import django; django.setup(); from django.core.files.storage import storages; "
             "s = storages['default']; print(type(s).__name__, getattr(s, 'bucket_name', ''))"],
            cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "miglobe.settings.base", **env},
        )  # fmt: skip
        return result.stdout.strip()

    assert backend(MEDIA_S3_BUCKET="") == "FileSystemStorage"
    assert backend(MEDIA_S3_BUCKET=BUCKET, MEDIA_S3_ENDPOINT_URL="http://127.0.0.1:9") == (
        f"S3Storage {BUCKET}"
    )
