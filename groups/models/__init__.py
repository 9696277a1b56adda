"""Peer support: fellowships (AA, SMART Recovery…), their local groups and their meetings.

``support_groups`` holds fellowships, their groups (a kind of listing) and meeting places,
``meetings`` the meetings, ``meeting_queries`` how they are found, ``meeting_choices`` how
people attend them and how often they are held, ``source_details`` what a meeting's source
says of it beyond when and where, ``texts`` curators' notes in other languages.
"""

from groups.models.meeting_choices import *  # noqa: F403
from groups.models.meeting_queries import *  # noqa: F403
from groups.models.meetings import *  # noqa: F403
from groups.models.source_details import *  # noqa: F403
from groups.models.support_groups import *  # noqa: F403
from groups.models.texts import *  # noqa: F403
