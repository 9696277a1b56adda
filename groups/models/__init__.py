"""Peer support: fellowships (AA, SMART Recovery…), their local groups and their meetings.

``support_groups`` holds fellowships, their groups (a kind of listing) and meeting places,
``meetings`` the meetings and how they are found, ``source_details`` what a meeting's
source says of it beyond when and where.
"""

from groups.models.meetings import *  # noqa: F403
from groups.models.source_details import *  # noqa: F403
from groups.models.support_groups import *  # noqa: F403
