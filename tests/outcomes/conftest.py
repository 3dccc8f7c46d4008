# The engagement tests' people and places: an officer of Eschweiler, one of Hamm.
from tests.engagements.conftest import (  # noqa: F401
    amara,
    municipality,
    officer,
    other_municipality,
    outsider,
    skew,
)
