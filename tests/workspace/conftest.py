import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.advisors.factories import AdvisorFactory, PoolFactory
from tests.core.factories import StaffFactory, UserFactory
from tests.engagements.factories import (
    EngagementAdvisorFactory,
    EngagementFactory,
    FeeRateFactory,
    MilestoneFactory,
    MunicipalityFactory,
    MunicipalOfficerFactory,
)


@pytest.fixture
def engagement(db):
    pool = PoolFactory(federal_state="NW")
    FeeRateFactory(pool=pool, valid_from=datetime.date(2013, 1, 1), hourly_rate=Decimal("45"))
    FeeRateFactory(pool=pool, valid_from=datetime.date(2020, 1, 1), hourly_rate=Decimal("50"))
    return EngagementFactory(
        title="Beratungseinsatz Eschweiler",
        municipality=MunicipalityFactory(name="Eschweiler"),
        pool=pool,
        starts_on=datetime.date(2019, 10, 1),
        ends_on=datetime.date(2020, 12, 31),
        budget=Decimal("1000.00"),
    )


@pytest.fixture
def advisor(engagement):
    """The owner: the engagement's advisor."""
    advisor = AdvisorFactory(user=UserFactory(email="advisor@example.org", name="Mamadou Beispiel"))
    EngagementAdvisorFactory(engagement=engagement, advisor=advisor, slot=1)
    return advisor


@pytest.fixture
def co_advisor(engagement):
    advisor = AdvisorFactory(user=UserFactory(email="co@example.org"))
    EngagementAdvisorFactory(engagement=engagement, advisor=advisor, slot=2)
    return advisor


@pytest.fixture
def other_advisor(db):
    """An advisor on another engagement."""
    advisor = AdvisorFactory(user=UserFactory(email="other@example.org"))
    EngagementAdvisorFactory(advisor=advisor, engagement__municipality__name="Hamm")
    return advisor


@pytest.fixture
def officer(engagement):
    return MunicipalOfficerFactory(
        municipality=engagement.municipality, confirmed_at=timezone.now()
    ).user


@pytest.fixture
def staff(db):
    return StaffFactory(email="skew@example.org")


@pytest.fixture
def milestone(engagement):
    return MilestoneFactory(engagement=engagement, due_on=datetime.date(2020, 6, 30))


# Small real files of each kind, made here so the tests need nothing from outside.
def png_bytes() -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    # A minimal JFIF header is enough for a content check; the tests never decode it.
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\xff\xd9"


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"PE\x00\x00"
