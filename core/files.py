"""Private stored files (receipts, reports) handed to the people allowed to see them."""

import logging
from pathlib import PurePath

from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)


def open_stored(stored: FieldFile) -> File | None:
    """The stored file, open for reading; None when the storage no longer has it.

    A file goes missing when a database was restored without its media folder (see
    README, "Betrieb"); the log tells operations which one.
    """
    try:
        return stored.open("rb")
    except FileNotFoundError:
        logger.error("Stored file %s is missing from the storage", stored.name)
        return None


def file_missing(request: HttpRequest) -> HttpResponse:
    """404 with a page that says the file is recorded but gone, and who can bring it back."""
    return render(request, "file_missing.html", status=404)


def stored_download(
    request: HttpRequest, stored: FieldFile, *, content_type: str
) -> HttpResponse | FileResponse:
    """A stored document (a report, a final report) as a private download under its own name;
    a 404 page that says so when the storage no longer has it."""
    handle = open_stored(stored)
    if handle is None:
        return file_missing(request)
    return private_file(
        handle,
        content_type=content_type,
        as_attachment=True,
        filename=PurePath(stored.name or "").name,
    )


def private_file(
    handle: File, *, content_type: str, filename: str, as_attachment: bool
) -> FileResponse:
    """A download for one person: never cached, never sniffed into another type."""
    handle.seek(0)
    response = FileResponse(
        handle, content_type=content_type, as_attachment=as_attachment, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
