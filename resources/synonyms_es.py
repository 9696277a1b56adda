"""The words people search with in Spanish, and the English words they mean: one reviewed
table, read by ``resources.synonyms``.

Listings are written in English. Each entry says that its Spanish words mean its English
ones: a search for a Spanish word finds everything a search for the English words finds
(their own synonyms included: "buprenorfina" finds what "buprenorphine" finds, and so
"suboxone" too), and every other Spanish word of the entry, which a curator's Spanish text
may use. English searches are unchanged: an English word never finds the Spanish ones.

Accents, case and punctuation are ignored as in the English table ("desintoxicación" is
"desintoxicacion"). Plurals of Spanish words are listed as they are typed ("reuniones"),
since the English rule (drop a final "s") does not make Spanish singulars.

Neutral Latin-American Spanish, as SAMHSA's and 988's Spanish pages use it, with the words
of Spanish speakers in the United States ("aseguranza", "juntas" for AA meetings).
When you add an entry that matters to people, add a line to the Spanish search tests.
"""

from typing import NamedTuple


class SpanishWords(NamedTuple):
    words: tuple[str, ...]  # Spanish words and phrases that mean the same
    means: tuple[str, ...]  # English words or phrases, as the English table knows them
    also_finds: tuple[str, ...] = ()  # narrower English words found one way


def spanish(*words, means, also_finds=()):
    return SpanishWords(words, tuple(means), tuple(also_finds))


SPANISH_SYNONYMS = [
    # Medications for addiction treatment.
    spanish("buprenorfina", "suboxona", means=["buprenorphine"]),
    spanish("naltrexona", means=["naltrexone"]),
    spanish("metadona", means=["methadone"]),
    spanish(
        "clinica de metadona",
        "programa de metadona",
        "programa de tratamiento de opioides",
        means=["methadone clinic"],
    ),
    spanish("naloxona", "reversion de sobredosis", means=["naloxone"]),
    spanish("acamprosato", means=["acamprosate"]),
    spanish("disulfiram", "disulfiramo", means=["disulfiram"]),
    spanish(
        "tratamiento con medicamentos",
        "tratamiento asistido con medicamentos",
        "medicamentos para la adiccion",
        means=["medication for addiction treatment"],
    ),
    spanish("sobredosis", means=["overdose"]),
    # Levels of care.
    spanish(
        "desintoxicacion",
        "desintox",
        "detox",
        "desintoxicarse",
        "manejo de la abstinencia",
        means=["detox"],
    ),
    spanish(
        "tratamiento residencial",
        "internamiento",
        "internado",
        "residencial",
        "rehabilitacion",
        "centro de rehabilitacion",
        "centros de rehabilitacion",
        "clinica de rehabilitacion",
        means=["rehab"],
    ),
    spanish(
        "ambulatorio",
        "ambulatoria",
        "tratamiento ambulatorio",
        "consulta externa",
        means=["outpatient"],
    ),
    spanish(
        "ambulatorio intensivo",
        "tratamiento ambulatorio intensivo",
        "programa ambulatorio intensivo",
        means=["intensive outpatient"],
    ),
    spanish("hospitalizacion parcial", means=["partial hospitalization"]),
    spanish(
        "vivienda sobria",
        "viviendas sobrias",
        "casa sobria",
        "casas sobrias",
        "casa de transicion",
        "casas de transicion",
        "hogar de transicion",
        "casa de recuperacion",
        "casas de recuperacion",
        "residencia de recuperacion",
        "vivienda de recuperacion",
        means=["sober living"],
    ),
    spanish("tratamiento", "tratamientos", means=["treatment"]),
    spanish("recuperacion", means=["recovery"]),
    spanish("salud mental", means=["mental health"]),
    # Professionals.
    spanish(
        "consejero",
        "consejera",
        "consejeros",
        "consejeras",
        "consejeria",
        "terapeuta",
        "terapeutas",
        "orientador",
        "orientadora",
        means=["counselor"],
    ),
    spanish("psicologo", "psicologa", "psicologos", "psicologas", means=["psychologist"]),
    spanish("psiquiatra", "psiquiatras", means=["psychiatrist"]),
    spanish("medico", "medica", "medicos", "doctora", "doctores", means=["doctor"]),
    spanish(
        "trabajador social",
        "trabajadora social",
        "trabajadores sociales",
        means=["social worker"],
    ),
    spanish("administrador de casos", "gestor de casos", "manejo de casos", means=["case manager"]),
    spanish(
        "especialista de apoyo entre pares",
        "companero de recuperacion",
        "coach de recuperacion",
        means=["peer recovery specialist"],
    ),
    spanish("terapia de grupo", "terapia grupal", means=["group therapy"]),
    spanish("terapia familiar", means=["family therapy"]),
    # Peer support.
    spanish(
        "grupo de familia",
        "grupos de familia",
        "grupo de familias",
        "grupo familiar",
        "grupos familiares",
        "familiares",
        means=["families"],
        also_finds=["al anon", "nar anon"],
    ),
    spanish("familia", "familias", means=["families"]),
    spanish("reunion", "reuniones", "junta", "juntas", means=["meeting"]),
    spanish(
        "grupo de apoyo",
        "grupos de apoyo",
        "apoyo entre pares",
        "apoyo mutuo",
        "ayuda mutua",
        means=["peer support"],
    ),
    spanish("alcoholicos anonimos", means=["alcoholics anonymous"]),
    spanish("narcoticos anonimos", means=["narcotics anonymous"]),
    spanish("doce pasos", "12 pasos", means=["12 step"]),
    # Ways to get help.
    spanish(
        "en linea",
        "virtual",
        "virtuales",
        "por internet",
        "por video",
        "videollamada",
        "telesalud",
        "telemedicina",
        means=["online"],
    ),
    spanish("en persona", "presencial", "presenciales", means=["in person"]),
    spanish(
        "linea de ayuda",
        "lineas de ayuda",
        "linea directa",
        "linea de crisis",
        "linea telefonica",
        "por telefono",
        means=["helpline"],
    ),
    spanish("crisis", means=["crisis"]),
    # Substances, as people say them.
    spanish("alcohol", "alcoholismo", "bebida", "beber", "tomar", "trago", means=["alcohol"]),
    spanish("drogas", "droga", "sustancias", means=["drugs"]),
    spanish(
        "opioides",
        "opiaceos",
        "opioide",
        "analgesicos",
        "pastillas para el dolor",
        means=["opioids"],
    ),
    spanish("heroina", means=["heroin"]),
    spanish("fentanilo", means=["fentanyl"]),
    spanish("metanfetamina", "metanfetaminas", "cristal", "estimulantes", means=["meth"]),
    spanish("cocaina", "coca", means=["cocaine"]),
    spanish("marihuana", "mota", means=["cannabis"]),
    spanish("benzodiacepinas", "benzodiazepinas", "sedantes", means=["benzos"]),
    spanish("tabaco", "nicotina", "fumar", "vapeo", "cigarrillos", means=["tobacco"]),
    spanish("juego", "juegos de apuestas", "apuestas", "ludopatia", means=["gambling"]),
    # Payment.
    spanish(
        "seguro medico",
        "seguro de salud",
        "seguro",
        "seguros",
        "aseguranza",
        means=["insurance"],
    ),
    spanish("medicaid", "medi cal", means=["medicaid"]),
    spanish("medicare", means=["medicare"]),
    spanish(
        "gratis", "gratuito", "gratuita", "gratuitos", "sin costo", "sin cargo", means=["free"]
    ),
    spanish("escala movil", "segun ingresos", means=["sliding scale"]),
    # People served.
    spanish("mujeres", "mujer", means=["women"]),
    spanish("hombres", "hombre", means=["men"]),
    spanish("jovenes", "joven", "adolescentes", "adolescente", means=["youth"]),
    spanish("veteranos", "veterano", "veteranas", "militares", means=["veterans"]),
    spanish("embarazadas", "embarazada", "embarazo", means=["pregnant"]),
    spanish("sin hogar", "personas sin hogar", "indigentes", means=["homelessness"]),
    spanish("sordos", "sordo", "lengua de senas", means=["deaf"]),
    spanish("espanol", "en espanol", "hispanohablantes", means=["spanish"]),
]

# Spanish words a search skips unless they are inside quotes: the small words of a sentence
# (from PostgreSQL's spanish.stop) and the filler of "busco un consejero cerca de mí".
# Left out on purpose: Spanish words that are English words people search for ("son",
# "sin", "sea", "era", "ante", "con").
_IGNORED = """
    de la que el en y o u e los del se las por un para una su al lo como mas pero sus le
    ya este porque esta entre cuando muy sobre tambien hasta hay donde quien desde
    todo nos durante todos uno unos les ni contra otros ese eso ellos esto mi antes
    algunos algunas cual yo otro otra otras tanto esa estos estas mucho muchos nada poco
    ella ellas nosotros mis tu tus te ti algo usted ustedes
    cerca busco buscar buscando necesito necesita quiero encontrar ayudame favor
"""
SPANISH_IGNORED_WORDS = frozenset(_IGNORED.split())
