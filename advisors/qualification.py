"""Who in a pool is qualified: every mandatory seminar attended, or SKEW waived it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction

from core.models import User

from .models import Advisor, Training, TrainingCompletion, TrainingWaiver


def missing_trainings(advisors: Iterable[Advisor]) -> dict[int, list[Training]]:
    """For each advisor, the mandatory seminars of their pools not yet attended nor waived.

    Three queries whatever the number of advisors; an advisor missing nothing maps to [].
    """
    advisors = list(advisors)
    ids = [advisor.pk for advisor in advisors]
    pools: dict[int, set[int]] = defaultdict(set)
    for advisor_id, pool_id in Advisor.pools.through.objects.filter(
        advisor_id__in=ids, left_on__isnull=True
    ).values_list("advisor_id", "pool_id"):
        pools[advisor_id].add(pool_id)
    mandatory: dict[int, list[Training]] = defaultdict(list)
    all_pools = {pool for wanted in pools.values() for pool in wanted}
    for training in Training.objects.filter(pool_id__in=all_pools, mandatory=True).order_by(
        "starts_on", "pk"
    ):
        mandatory[training.pool_id].append(training)
    done: set[tuple[int, int]] = set(
        TrainingCompletion.objects.filter(advisor_id__in=ids).values_list(
            "advisor_id", "training_id"
        )
    )
    done |= set(
        TrainingWaiver.objects.filter(advisor_id__in=ids).values_list("advisor_id", "training_id")
    )
    return {
        advisor_id: [
            training
            for pool_id in sorted(pools[advisor_id])
            for training in mandatory[pool_id]
            if (advisor_id, training.pk) not in done
        ]
        for advisor_id in ids
    }


def is_qualified(advisor: Advisor) -> bool:
    return not missing_trainings([advisor])[advisor.pk]


@transaction.atomic
def attendance_set(*, training: Training, advisor: Advisor, attended: bool) -> bool:
    """Record (or take back) that the advisor attended; True when something changed."""
    if attended:
        _row, created = TrainingCompletion.objects.get_or_create(
            advisor=advisor, training=training, defaults={"completed_on": training.ends_on}
        )
        return created
    deleted, _rows = TrainingCompletion.objects.filter(advisor=advisor, training=training).delete()
    return bool(deleted)


@transaction.atomic
def training_waive(
    *, training: Training, advisor: Advisor, reason: str, by: User
) -> TrainingWaiver:
    """SKEW exempts the advisor from a mandatory seminar; the reason is required."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValueError("a waiver needs its reason")
    waiver, _created = TrainingWaiver.objects.update_or_create(
        advisor=advisor, training=training, defaults={"reason": reason, "waived_by": by}
    )
    return waiver
