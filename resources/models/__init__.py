"""Listings: the shared base every kind of support is stored in, and its typed kinds.

``common`` holds the parts (addresses, vocabulary terms, organizations, weekdays),
``listing`` the Listing base and its opening hours, ``kinds`` the typed kinds,
``new_clients`` whether a kind that takes clients is taking new ones, and its links,
``texts`` curators' texts of a listing in other languages.
"""

from resources.models.common import *  # noqa: F403
from resources.models.kinds import *  # noqa: F403
from resources.models.listing import *  # noqa: F403
from resources.models.new_clients import *  # noqa: F403
from resources.models.texts import *  # noqa: F403
