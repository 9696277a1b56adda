"""The fellowships every installation starts with.

They are created after ``migrate`` when missing (matched by short name) and are
never overwritten afterwards, so curators' edits to descriptions stay.
"""

from groups.models import FellowshipApproach as Approach
from groups.models import FellowshipAudience as Audience

FELLOWSHIPS = [
    {
        "name": "Alcoholics Anonymous",
        "short_name": "AA",
        "slug": "alcoholics-anonymous",
        "approach": Approach.TWELVE_STEP,
        "audience": Audience.IN_RECOVERY,
        "website": "https://www.aa.org/",
        "description": (
            "A worldwide fellowship of people who share their experience to stay sober and help "
            "others recover from alcoholism, following twelve steps. Free; the only requirement "
            "is a desire to stop drinking."
        ),
    },
    {
        "name": "Narcotics Anonymous",
        "short_name": "NA",
        "slug": "narcotics-anonymous",
        "approach": Approach.TWELVE_STEP,
        "audience": Audience.IN_RECOVERY,
        "website": "https://na.org/",
        "description": (
            "A twelve-step fellowship for people recovering from addiction to any drug, "
            "including alcohol. Meetings are free and open to anyone who wants to stop using."
        ),
    },
    {
        "name": "Cocaine Anonymous",
        "short_name": "CA",
        "slug": "cocaine-anonymous",
        "approach": Approach.TWELVE_STEP,
        "audience": Audience.IN_RECOVERY,
        "website": "https://ca.org/",
        "description": (
            "A twelve-step fellowship for people recovering from addiction to cocaine and all "
            "other mind-altering substances."
        ),
    },
    {
        "name": "Crystal Meth Anonymous",
        "short_name": "CMA",
        "slug": "crystal-meth-anonymous",
        "approach": Approach.TWELVE_STEP,
        "audience": Audience.IN_RECOVERY,
        "website": "https://www.crystalmeth.org/",
        "description": (
            "A twelve-step fellowship for people recovering from addiction to crystal "
            "methamphetamine."
        ),
    },
    {
        "name": "SMART Recovery",
        "short_name": "SMART",
        "slug": "smart-recovery",
        "approach": Approach.SECULAR,
        "audience": Audience.IN_RECOVERY,
        "website": "https://smartrecovery.org/",
        "description": (
            "Self-Management and Recovery Training: science-based mutual help meetings that teach "
            "practical tools for changing addictive behaviour, led by trained facilitators."
        ),
    },
    {
        "name": "Women for Sobriety",
        "short_name": "WFS",
        "slug": "women-for-sobriety",
        "approach": Approach.SECULAR,
        "audience": Audience.IN_RECOVERY,
        "website": "https://womenforsobriety.org/",
        "description": (
            "A peer support program for women in recovery from substance use, built on positive "
            "thinking and emotional growth."
        ),
    },
    {
        "name": "LifeRing Secular Recovery",
        "short_name": "LifeRing",
        "slug": "lifering",
        "approach": Approach.SECULAR,
        "audience": Audience.IN_RECOVERY,
        "website": "https://lifering.org/",
        "description": (
            "Abstinence-based, secular peer support in which each person builds their own "
            "recovery plan with the encouragement of the group."
        ),
    },
    {
        "name": "Recovery Dharma",
        "short_name": "RD",
        "slug": "recovery-dharma",
        "approach": Approach.SECULAR,
        "audience": Audience.IN_RECOVERY,
        "website": "https://recoverydharma.org/",
        "description": (
            "Peer-led meetings that use Buddhist practices such as meditation and inquiry to "
            "recover from addiction of any kind. No belief is required."
        ),
    },
    {
        "name": "Celebrate Recovery",
        "short_name": "CR",
        "slug": "celebrate-recovery",
        "approach": Approach.FAITH_BASED,
        "audience": Audience.BOTH,
        "website": "https://www.celebraterecovery.com/",
        "description": (
            "A Christ-centred twelve-step program, usually hosted by churches, for anyone "
            "struggling with addiction or other hurts, and for their families."
        ),
    },
    {
        "name": "Al-Anon Family Groups",
        "short_name": "Al-Anon",
        "slug": "al-anon",
        "approach": Approach.TWELVE_STEP,
        "audience": Audience.FAMILY_AND_FRIENDS,
        "website": "https://al-anon.org/",
        "description": (
            "Mutual support for anyone affected by someone else's drinking: partners, parents, "
            "adult children, friends and co-workers."
        ),
    },
    {
        "name": "Alateen",
        "short_name": "Alateen",
        "slug": "alateen",
        "approach": Approach.TWELVE_STEP,
        "audience": Audience.FAMILY_AND_FRIENDS,
        "website": "https://al-anon.org/newcomers/teen-corner-alateen/",
        "description": (
            "Part of Al-Anon: meetings for teenagers affected by a parent's, relative's or "
            "friend's drinking, with a certified adult sponsor."
        ),
    },
    {
        "name": "Nar-Anon Family Groups",
        "short_name": "Nar-Anon",
        "slug": "nar-anon",
        "approach": Approach.TWELVE_STEP,
        "audience": Audience.FAMILY_AND_FRIENDS,
        "website": "https://www.nar-anon.org/",
        "description": (
            "A twelve-step fellowship for relatives and friends of people with a drug addiction."
        ),
    },
    {
        "name": "SMART Recovery Family & Friends",
        "short_name": "SMART F&F",
        "slug": "smart-recovery-family-friends",
        "approach": Approach.SECULAR,
        "audience": Audience.FAMILY_AND_FRIENDS,
        "website": "https://smartrecovery.org/family/",
        "description": (
            "SMART Recovery's science-based meetings for people who love someone with an "
            "addiction, drawing on CRAFT to help them cope and encourage change."
        ),
    },
]


def create_missing_fellowships(fellowship_model, using="default"):
    existing = set(fellowship_model.objects.using(using).values_list("short_name", flat=True))
    missing = [
        fellowship_model(**fields) for fields in FELLOWSHIPS if fields["short_name"] not in existing
    ]
    fellowship_model.objects.using(using).bulk_create(missing)
    return len(missing)
