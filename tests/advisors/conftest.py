# The advisor's profile is tested with the workspace's cast: an advisor on an
# engagement, an officer of its municipality, a staff member.
from tests.workspace.conftest import advisor, engagement, officer, staff  # noqa: F401
