"""Invented listings for the layout, print and journey tests: detox programs around Lincoln
Park (Chicago 60614), a family support service and two buprenorphine prescribers."""

from datetime import time
from decimal import Decimal

from resources.models import ClinicianRole, CommunityResourceType
from resources.vocabularies import Vocabulary
from tests.factories import (
    make_clinician,
    make_community_resource,
    make_opening_hours,
    make_treatment_program,
)

# Invented streets a few blocks apart on Chicago's North Side, all within a few miles of 60614.
NORTH_SIDE = [
    ("2400 N Clark St", "60614", "41.924800", "-87.641400"),
    ("2550 N Halsted St", "60614", "41.928600", "-87.649000"),
    ("1900 N Lincoln Ave", "60614", "41.915300", "-87.637800"),
    ("3000 N Broadway", "60657", "41.936500", "-87.644200"),
    ("2800 N Sheffield Ave", "60657", "41.933400", "-87.653900"),
    ("1600 N Wells St", "60614", "41.911000", "-87.634600"),
    ("3300 N Clark St", "60657", "41.942300", "-87.650100"),
    ("2100 N Damen Ave", "60647", "41.919700", "-87.677800"),
]


def detox_programs(count=8):
    """``count`` detox programs near 60614, each with a phone, an address and weekday hours."""
    programs = []
    for number in range(count):
        street, postal_code, latitude, longitude = NORTH_SIDE[number % len(NORTH_SIDE)]
        program = make_treatment_program(
            name=f"North Side Withdrawal Center {number + 1}",
            summary="Medically supervised detox for alcohol and opioids.",
            phone=f"773-555-01{number + 10:02}",
            address_line1=street,
            postal_code=postal_code,
            latitude=Decimal(latitude),
            longitude=Decimal(longitude),
            terms={Vocabulary.LEVEL_OF_CARE: ["detox"], Vocabulary.PAYMENT: ["medicaid"]},
        )
        for weekday in range(1, 6):
            make_opening_hours(program, weekday, opens=time(7), closes=time(19))
        programs.append(program)
    return programs


def family_support():
    return make_community_resource(
        name="Lakeview Family Recovery Circle",
        resource_type=CommunityResourceType.FAMILY_SUPPORT,
        summary="Weekly support and CRAFT skills for parents of young people using drugs.",
        phone="773-555-0190",
    )


def buprenorphine_prescribers():
    """A buprenorphine prescriber who takes Medicaid, and one who does not."""
    medication = {Vocabulary.MEDICATION: ["buprenorphine"]}
    takes_medicaid = make_clinician(
        name="Lincoln Park Addiction Medicine",
        role=ClinicianRole.ADDICTION_MEDICINE,
        summary="Office-based buprenorphine treatment for teens and adults.",
        phone="312-555-0142",
        terms={**medication, Vocabulary.PAYMENT: ["medicaid"]},
    )
    private_only = make_clinician(
        name="Clark Street Recovery Doctors",
        role=ClinicianRole.ADDICTION_MEDICINE,
        summary="Buprenorphine and counseling.",
        phone="312-555-0177",
        terms={**medication, Vocabulary.PAYMENT: ["private-insurance"]},
    )
    return takes_medicaid, private_only
