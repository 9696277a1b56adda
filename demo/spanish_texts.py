"""Spanish texts of the demo data, as a curator would write them: the summary and
description of a handful of invented listings, and the notes of the Spanish-speaking
meetings (made from their types). ``demo_data`` saves them after the listings."""

# {listing slug: {"summary": …, "description": …}}
LISTING_TEXTS = {
    "anita-p-addiction-medicine": {
        "summary": "Médica especialista en adicciones que inicia tratamiento con buprenorfina "
        "y naltrexona en el consultorio o por video, a menudo la misma semana.",
        "description": "La Dra. Anita P. atiende a personas con trastornos por consumo de "
        "opioides y de alcohol desde hace quince años. Recibe a cada persona en el punto de "
        "su recuperación en que se encuentre, incluso si todavía consume, y trabaja de cerca "
        "con los terapeutas del consultorio.",
    },
    "rosa-m-lcsw-pilsen": {
        "summary": "Trabajadora social bilingüe que ayuda a familias y personas en Pilsen; "
        "por ahora tiene una lista de espera corta.",
        "description": "Rosa trabaja con adultos y familias afectados por el consumo de "
        "alcohol y drogas, y ayuda con necesidades prácticas como solicitudes de vivienda y "
        "seguro médico. Por ahora no recibe nuevos clientes, pero puede anotarle en su lista "
        "de espera y sugerirle otra ayuda mientras tanto.",
    },
    "prairie-light-west-side-otp": {
        "summary": "Tratamiento con metadona y buprenorfina, con dosis diarias desde las "
        "5:30 a. m., consejería y dosis para llevar a casa a medida que avanza.",
        "description": "Un programa de tratamiento de opioides certificado. Se atiende a "
        "pacientes nuevos de lunes a jueves; traiga una identificación si tiene una, pero no "
        "es necesaria para empezar. Incluye consejería, manejo de casos y kits de naloxona.",
    },
    "southside-harbor-withdrawal-management": {
        "summary": "Desintoxicación con supervisión médica para alcohol, opioides y sedantes, "
        "abierto de día y de noche.",
        "description": "Enfermeras y médicos le acompañan durante la abstinencia de manera "
        "segura, por lo general de tres a siete días, y un administrador de casos le ayuda a "
        "planear los siguientes pasos. Llame antes para saber si hay cama, o venga a la "
        "recepción a cualquier hora.",
    },
    "little-village-womens-residential": {
        "summary": "Tratamiento residencial para mujeres, incluidas mujeres embarazadas y "
        "madres que pueden traer a sus hijos pequeños.",
        "description": "Las mujeres se quedan de treinta a noventa días en un ambiente "
        "familiar. Los niños menores de seis años pueden vivir con sus madres, y hay cuidado "
        "de niños durante los grupos. El personal habla español e inglés.",
    },
    "chicago-recovery-warmline": {
        "summary": "Línea telefónica atendida por pares para residentes de Chicago que quieren "
        "hablar sobre el consumo de alcohol o drogas, o encontrar una reunión hoy.",
        "description": "Quienes contestan son personas de Chicago en recuperación. Conocen las "
        "reuniones, los centros comunitarios y los programas de tratamiento de la ciudad y "
        "pueden ayudarle a llegar a uno. Si está en crisis, llame o envíe un mensaje de "
        "texto al 988 (oprima 2 para español).",
    },
    "grupo-nueva-esperanza-pilsen": {
        "summary": "Reuniones de AA en español en Pilsen, cuatro noches por semana.",
        "description": "Un grupo de AA de habla hispana. Las reuniones son cerradas, excepto "
        "la reunión de orador del domingo, a la que pueden asistir familiares. Hay café y pan "
        "dulce.",
    },
}

# What a Spanish-speaking meeting's notes say of each of its Meeting Guide types.
TYPE_NOTES = {
    "C": "Reunión cerrada: para quienes tienen el deseo de dejar de beber o de consumir.",
    "O": "Reunión abierta: cualquier persona puede asistir, también familiares y amigos.",
    "D": "Reunión de discusión: cada quien puede compartir.",
    "ST": "Estudio de los Doce Pasos.",
    "SP": "Reunión de orador: una persona comparte su historia.",
    "LIT": "Estudio de literatura.",
    "W": "Solo para mujeres.",
}
SPANISH = "S"


def spanish_meeting_notes(types):
    """The Spanish notes of a meeting held in Spanish (its types include "S"), else ""."""
    if SPANISH not in types:
        return ""
    lines = [TYPE_NOTES[code] for code in types if code in TYPE_NOTES]
    return " ".join([*lines, "Todas las personas son bienvenidas; la reunión es en español."])
