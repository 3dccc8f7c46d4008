"""The life of time entries and expenses: draft → submitted → approved → reimbursed."""

import pytest
from django.urls import reverse

from engagements.enums import EntryStatus
from engagements.services import (
    EntryError,
    entry_approve,
    entry_delete,
    entry_return,
    entry_submit,
    entry_withdraw,
)
from tests.advisors.factories import AdvisorFactory
from tests.core.factories import StaffFactory
from tests.engagements.factories import (
    ExpenseFactory,
    ReimbursementReportFactory,
    TimeEntryFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES = [TimeEntryFactory, ExpenseFactory]
STATES = [EntryStatus.DRAFT, EntryStatus.SUBMITTED, EntryStatus.APPROVED, EntryStatus.REIMBURSED]


def make(factory, status):
    report = ReimbursementReportFactory() if status == EntryStatus.REIMBURSED else None
    return factory(status=status, report=report)


def run(action, entry):
    staff = StaffFactory(email="skew@example.org")
    calls = {
        "submit": lambda: entry_submit(entry=entry, advisor=entry.advisor),
        "withdraw": lambda: entry_withdraw(entry=entry, advisor=entry.advisor),
        "approve": lambda: entry_approve(entry=entry, by=staff),
        "send_back": lambda: entry_return(entry=entry, by=staff),
    }
    return calls[action]()


# (action, from) → to; every other pair is refused. Submitting or approving twice is a no-op.
ALLOWED = {
    ("submit", EntryStatus.DRAFT): EntryStatus.SUBMITTED,
    ("submit", EntryStatus.SUBMITTED): EntryStatus.SUBMITTED,
    ("withdraw", EntryStatus.SUBMITTED): EntryStatus.DRAFT,
    ("approve", EntryStatus.SUBMITTED): EntryStatus.APPROVED,
    ("approve", EntryStatus.APPROVED): EntryStatus.APPROVED,
    ("send_back", EntryStatus.SUBMITTED): EntryStatus.DRAFT,
}


@pytest.mark.parametrize("factory", FACTORIES)
@pytest.mark.parametrize("action", ["submit", "withdraw", "approve", "send_back"])
@pytest.mark.parametrize("status", STATES)
def test_state_changes(factory, action, status):
    entry = make(factory, status)
    if (action, status) in ALLOWED:
        run(action, entry)
        entry.refresh_from_db()
        assert entry.status == ALLOWED[(action, status)]
    else:
        with pytest.raises(EntryError):
            run(action, entry)
        entry.refresh_from_db()
        assert entry.status == status


@pytest.mark.parametrize("factory", FACTORIES)
def test_only_own_drafts_can_be_deleted(factory):
    draft, submitted = factory(status=EntryStatus.DRAFT), factory(status=EntryStatus.SUBMITTED)
    with pytest.raises(EntryError):
        entry_delete(entry=draft, advisor=AdvisorFactory())
    with pytest.raises(EntryError):
        entry_delete(entry=submitted, advisor=submitted.advisor)
    entry_delete(entry=draft, advisor=draft.advisor)
    assert not type(draft).objects.filter(pk=draft.pk).exists()


def test_someone_elses_entry_cannot_be_submitted():
    entry = TimeEntryFactory()
    with pytest.raises(EntryError):
        entry_submit(entry=entry, advisor=AdvisorFactory())


def test_approval_records_who_and_when():
    entry = TimeEntryFactory(status=EntryStatus.SUBMITTED)
    staff = StaffFactory(email="finance@example.org")
    entry_approve(entry=entry, by=staff)
    entry.refresh_from_db()
    assert entry.approved_by == staff
    assert entry.approved_at is not None


def test_staff_approve_in_the_admin(client):
    staff = StaffFactory(email="skew@example.org")
    submitted = ExpenseFactory.create_batch(2, status=EntryStatus.SUBMITTED)
    draft = ExpenseFactory(status=EntryStatus.DRAFT)
    client.force_login(staff)
    client.post(
        reverse("admin:engagements_expense_changelist"),
        {"action": "approve", "_selected_action": [e.pk for e in [*submitted, draft]]},
    )
    assert [e.status for e in type(draft).objects.order_by("pk")] == [
        EntryStatus.APPROVED,
        EntryStatus.APPROVED,
        EntryStatus.DRAFT,
    ]


@pytest.mark.django_db
def test_entries_are_named_in_the_readers_notation():
    import datetime
    from decimal import Decimal

    from django.utils import translation

    from tests.engagements.factories import ExpenseFactory, TimeEntryFactory

    entry = TimeEntryFactory(
        date=datetime.date(2020, 6, 26), hours=Decimal("6.5"), activity="Auswertung"
    )
    expense = ExpenseFactory(date=datetime.date(2020, 6, 26), amount=Decimal("1234.5"))
    with translation.override("de"):
        assert str(entry) == "26.06.2020 6,50 h – Auswertung"
        assert str(expense) == "26.06.2020 Reisekosten 1234,50 €"
    with translation.override("en"):
        assert str(entry) == "06/26/2020 6.50 h – Auswertung"
        assert str(expense) == "06/26/2020 Travel costs 1234.50 €"
