"""Where invented rows are placed: US ZIP centroids from the offline ``zipcodes`` table."""

from bisect import bisect
from collections import Counter
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

import zipcodes

from resources.models import known_time_zones


@dataclass(frozen=True)
class Zip:
    code: str
    city: str
    state: str
    latitude: float
    longitude: float
    time_zone: str
    area_code: str


@dataclass
class ZipTable:
    """Civilian ZIP centroids, each weighted by how many ZIPs its town has: cities are dense."""

    zips: list
    cumulative: list

    @classmethod
    @cache
    def load(cls):
        """Read once per process: the package's 42,000 records take a second to sift."""
        zones = known_time_zones()
        records = [
            z
            for z in zipcodes.filter_by()
            if z["active"]
            and z["zip_code_type"] == "STANDARD"
            and z["timezone"] in zones
            and float(z["lat"]) != 0
        ]
        per_town = Counter((z["city"], z["state"]) for z in records)
        zips = [
            Zip(
                z["zip_code"],
                z["city"],
                z["state"],
                float(z["lat"]),
                float(z["long"]),
                z["timezone"],
                (z["area_codes"] or ["555"])[0],
            )
            for z in records
        ]
        # A town with n ZIPs gets n² of the weight: a city of 50 ZIPs is 2,500 times a village.
        weights = [per_town[z.city, z.state] for z in zips]
        return cls(zips, list(accumulate(weights)))

    def pick(self, rng):
        return self.zips[bisect(self.cumulative, rng.random() * self.cumulative[-1])]
