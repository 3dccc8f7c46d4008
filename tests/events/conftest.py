"""Fixtures for the events' tests.

An event's organisers are the advisors of its engagement, so the events' tests
use the fixed cast of the advisors' tests: an engagement in Eschweiler with its
advisor, an advisor on another engagement, an officer of the municipality, staff.
"""

from tests.workspace.conftest import (  # noqa: F401 - fixtures, found by their names
    advisor,
    engagement,
    officer,
    other_advisor,
    staff,
)
