"""The demo deal's report texts for period 2022-1 (the seed report's ijkdatum, 1 July 2022).

The voorwoord and managementsamenvatting are short demo texts in the seed's tone (the real ones
are written by the coördinator in the browser); the lessons of the deal come from the fixture.
"""

from django.contrib.auth.models import User

from projects.models import Deal, ReportingPeriod
from reports.models import ReportText

DEMO_PERIOD = "2022-1"

FOREWORD = """Dit is de eerste voortgangsrapportage van de Cleantech Regio Deal: een overeenkomst tussen het Rijk \
en Regio Stedendriehoek om de samenwerking te versterken en de brede welvaart te verbeteren.

De regio heeft het door het Rijk toegekende bedrag ruimschoots aangevuld met publieke cofinanciering en \
met bijdragen van onderwijs en ondernemers. Deze rapportage laat zien waar de projecten staan, wat er is \
uitgekeerd en besteed, en wat we hebben geleerd.

(Demotekst: de coördinator schrijft het voorwoord per rapportage in de portal.)"""

SUMMARY = """De Regio Deal werkt langs twee actielijnen: Cleantech Werkt richt zich op de mensen die hier wonen \
en werken en op de aansluiting tussen onderwijs en arbeidsmarkt; Groene Groei op de energietransitie en de \
overgang naar een circulaire economie.

De financiële cijfers in hoofdstuk 2 gelden op de ijkdatum 1 juli 2022 en komen rechtstreeks uit de \
boekhouding van de kassier. De private financiering blijft achter doordat enkele grote projecten op de \
ijkdatum nog niet waren gestart. Bijlage A noemt de punten in de cijfers die uitleg vragen."""


def load_texts(deal: Deal, data: dict, users: dict[str, User]) -> ReportText | None:
    period = ReportingPeriod.objects.filter(deal=deal, name=DEMO_PERIOD).first()
    if period is None:
        return None
    # Once: loading the demo again must not overwrite what the coordinator has written since.
    text, _ = ReportText.objects.get_or_create(
        deal=deal,
        period=period,
        defaults={
            "foreword": FOREWORD,
            "summary": SUMMARY,
            "lessons": "\n".join(data.get("lessons", [])),
            "updated_by": users.get("coordinator"),
        },
    )
    return text
