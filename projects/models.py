"""Deals, their actielijnen, programma's and projecten, and the organisations involved.

A portal holds several deals; every code is unique within its deal (database constraints),
so "1110" can exist in two deals.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Organisation(models.Model):
    class Kind(models.TextChoices):
        RIJK = "rijk", "Rijk"
        PROVINCE = "provincie", "Provincie"
        MUNICIPALITY = "gemeente", "Gemeente"
        EDUCATION = "onderwijs", "Onderwijsinstelling"
        COMPANY = "bedrijf", "Bedrijf"
        FOUNDATION = "stichting", "Stichting of samenwerkingsverband"
        OTHER = "overig", "Overig"

    name = models.CharField("naam", max_length=200, unique=True)
    kind = models.CharField("soort", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    email = models.EmailField("e-mailadres", blank=True)

    class Meta:
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Deal(models.Model):
    code = models.SlugField("code", max_length=40, unique=True)
    name = models.CharField("naam", max_length=200)
    region = models.CharField("regio", max_length=200)
    start = models.DateField("start")
    end = models.DateField("einde")
    financial_closing_date = models.DateField(
        "financieel afgerond uiterlijk",
        help_text="Na deze datum mogen geen uitkeringen of bestedingen meer plaatsvinden.",
    )
    default_reference_date = models.DateField(
        "standaard ijkdatum", help_text="Peildatum voor de financiële overzichten als niets anders gekozen is."
    )
    goal = models.TextField("doel", blank=True)
    challenge = models.TextField("opgave", blank=True)
    illustrative_amounts = models.BooleanField(
        "illustratieve bedragen",
        default=False,
        help_text="Een demo waarvan de bron geen bedragen per financier geeft: elke pagina en de rapportage zeggen "
        "dat de bedragen verzonnen zijn.",
    )
    kassier_organisation = models.ForeignKey(
        Organisation,
        verbose_name="kassier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deals_as_kassier",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Regio Deal"
        verbose_name_plural = "Regio Deals"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="deal_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.name


class ActionLine(models.Model):
    deal = models.ForeignKey(Deal, verbose_name="deal", on_delete=models.PROTECT, related_name="action_lines")
    code = models.CharField("code", max_length=20)
    name = models.CharField("naam", max_length=200)
    main_goal = models.TextField("hoofddoel", blank=True)
    description = models.TextField("omschrijving", blank=True)
    theme_managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="themalijnmanagers",
        blank=True,
        related_name="managed_action_lines",
    )
    history = HistoricalRecords(m2m_fields=[theme_managers])

    class Meta:
        verbose_name = "actielijn"
        verbose_name_plural = "actielijnen"
        ordering = ["deal", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "code"],
                name="actionline_code_unique_per_deal",
                violation_error_message="Deze deal heeft al een actielijn met deze code.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    deal = models.ForeignKey(Deal, verbose_name="deal", on_delete=models.PROTECT, related_name="programmes")
    action_line = models.ForeignKey(
        ActionLine, verbose_name="actielijn", on_delete=models.PROTECT, related_name="programmes"
    )
    code = models.CharField("code", max_length=20, help_text="Bijvoorbeeld 1100.")
    name = models.CharField("naam", max_length=200)
    goal = models.TextField("programmadoel", blank=True)
    description = models.TextField("beschrijving", blank=True)
    theme_managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="themalijnmanagers",
        blank=True,
        related_name="managed_programmes",
    )
    history = HistoricalRecords(m2m_fields=[theme_managers])

    class Meta:
        verbose_name = "programma"
        verbose_name_plural = "programma's"
        ordering = ["deal", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "code"],
                name="programme_code_unique_per_deal",
                violation_error_message="Deze deal heeft al een programma met deze code.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self):
        if self.action_line_id and self.deal_id and self.action_line.deal_id != self.deal_id:
            raise ValidationError({"action_line": "De actielijn hoort bij een andere deal."})


class Project(models.Model):
    class Status(models.TextChoices):
        PLANNED = "gepland", "Gepland"
        RUNNING = "lopend", "Lopend"
        FINISHED = "afgerond", "Afgerond"
        STOPPED = "gestopt", "Gestopt"

    deal = models.ForeignKey(Deal, verbose_name="deal", on_delete=models.PROTECT, related_name="projects")
    programme = models.ForeignKey(
        Programme, verbose_name="programma", on_delete=models.PROTECT, related_name="projects"
    )
    programme_line = models.ForeignKey(
        "projects.ProgrammeLine",
        verbose_name="programmalijn",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        help_text="Alleen bij een deal met programmalijnen (Twente: RDT of AvT).",
    )
    code = models.CharField("code", max_length=20, help_text="Bijvoorbeeld 1110.")
    name = models.CharField("naam", max_length=250)
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name="penvoerder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_projects",
    )
    partners = models.ManyToManyField(
        Organisation, verbose_name="partners", blank=True, related_name="partner_projects"
    )
    theme_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="themalijnmanager",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guided_projects",
        help_text="Aanspreekpunt; schrijfrechten volgen uit de toewijzing aan actielijn of programma.",
    )
    lead_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="gebruikers van de penvoerder",
        blank=True,
        related_name="lead_projects",
        help_text="Deze gebruikers mogen voor dit project verslagen opstellen en indienen.",
    )
    start = models.DateField("start (gepland)", null=True, blank=True)
    end = models.DateField("afronding (gepland)", null=True, blank=True)
    planning_text = models.CharField("planning zoals vermeld", max_length=200, blank=True)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.RUNNING)
    goals = models.TextField("doelen", blank=True, help_text="Eén doel per regel.")
    description = models.TextField("omschrijving", blank=True)
    is_voucher_scheme = models.BooleanField(
        "voucherregeling",
        default=False,
        help_text="Het project verdeelt vouchers: kleine bijdragen aan genoemde ontvangers.",
    )
    co_financed_by = models.CharField(
        "cofinanciering", max_length=200, blank=True, help_text="Bijvoorbeeld 'Project cofinanciering Overijssel'."
    )
    history = HistoricalRecords(m2m_fields=[lead_users])

    class Meta:
        verbose_name = "project"
        verbose_name_plural = "projecten"
        ordering = ["deal", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "code"],
                name="project_code_unique_per_deal",
                violation_error_message="Deze deal heeft al een project met deze code.",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=models.F("start")),
                name="project_end_after_start",
                violation_error_message="De afronding ligt vóór de start.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self):
        # Projects may start before the deal (pre-existing projects brought in as
        # co-financing, see fixtures/README.md), so no start >= deal.start rule here.
        if self.programme_id and self.deal_id and self.programme.deal_id != self.deal_id:
            raise ValidationError({"programme": "Het programma hoort bij een andere deal."})
        if self.programme_line_id and self.deal_id and self.programme_line.deal_id != self.deal_id:
            raise ValidationError({"programme_line": "De programmalijn hoort bij een andere deal."})

    @property
    def action_line(self) -> ActionLine:
        return self.programme.action_line

    def goal_lines(self) -> list[str]:
        return [line for line in self.goals.splitlines() if line.strip()]


class GovernanceMember(models.Model):
    """Who sits in which body of a deal; shown in the report's governance chapter."""

    class Body(models.TextChoices):
        STEERING = "stuurgroep", "Stuurgroep"
        WORKING = "werkgroep", "Werkgroep"
        THEME = "themalijn", "Themalijnmanagers"
        KASSIER = "kassier", "Kassier"

    deal = models.ForeignKey(Deal, verbose_name="deal", on_delete=models.CASCADE, related_name="governance")
    body = models.CharField("orgaan", max_length=20, choices=Body.choices)
    name = models.CharField("naam", max_length=200)
    organisation = models.CharField("organisatie", max_length=200, blank=True)
    role = models.CharField("rol", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("volgorde", default=0)

    class Meta:
        verbose_name = "lid van stuurgroep of werkgroep"
        verbose_name_plural = "governance"
        ordering = ["deal", "body", "order", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_body_display()})"


class ReportingPeriod(models.Model):
    """A period the projects of a deal report over, e.g. 2022-1 (first half of 2022).

    Start inclusive, end exclusive; verslagen are due at the deadline.
    """

    deal = models.ForeignKey(Deal, verbose_name="deal", on_delete=models.PROTECT, related_name="reporting_periods")
    name = models.CharField("naam", max_length=40, help_text="Bijvoorbeeld 2022-1.")
    start = models.DateField("start")
    end = models.DateField("einde (exclusief)", help_text="De eerste dag ná de periode, bijvoorbeeld 1 juli 2022.")
    reference_date = models.DateField("ijkdatum", help_text="Peildatum van de cijfers in de verslagen.")
    deadline = models.DateField("uiterste inleverdatum")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "rapportageperiode"
        verbose_name_plural = "rapportageperiodes"
        ordering = ["deal", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "name"],
                name="period_name_unique_per_deal",
                violation_error_message="Deze deal heeft al een periode met deze naam.",
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="period_end_after_start",
                violation_error_message="Het einde van de periode moet ná de start liggen.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def last_day(self):
        """The last day inside the period, for display: the end itself is exclusive."""
        return self.end - timedelta(days=1)

    # What a verslag over the period reported against; the deadline may still move.
    REPORTED_FIELDS = ("start", "end", "reference_date")

    def clean(self):
        if self.end and self.deadline and self.deadline < self.end:
            raise ValidationError({"deadline": "De inleverdatum ligt vóór het einde van de periode."})
        if self.pk and (changed := self.changed_reported_fields()) and self.reports.exists():
            raise ValidationError(
                {
                    field: "Over deze periode zijn al verslagen geschreven; de start, de laatste dag en de ijkdatum "
                    "veranderen daarom niet meer."
                    for field in changed
                }
            )

    def changed_reported_fields(self) -> list[str]:
        """The fields of REPORTED_FIELDS whose value differs from the saved period."""
        saved = ReportingPeriod.objects.filter(pk=self.pk).values(*self.REPORTED_FIELDS).first() or {}
        return [field for field in self.REPORTED_FIELDS if saved.get(field) != getattr(self, field)]


class ProgressReportQuerySet(models.QuerySet):
    def current(self):
        """Only the newest revision per project and period (older approved ones were corrected)."""
        newer = ProgressReport.objects.filter(
            project=models.OuterRef("project"),
            period=models.OuterRef("period"),
            revision__gt=models.OuterRef("revision"),
        )
        return self.exclude(models.Exists(newer))


class ProgressReport(models.Model):
    """A voortgangsverslag: one project's progress over one reporting period.

    concept -> ingediend -> goedgekeurd, or ingediend -> teruggestuurd -> ingediend. An approved
    verslag is frozen; a correction is a new revision of the same project and period.
    `lock_version` counts saves, so a save based on an older screen is refused (optimistic locking).
    """

    class State(models.TextChoices):
        DRAFT = "concept", "Concept"
        SUBMITTED = "ingediend", "Ingediend"
        APPROVED = "goedgekeurd", "Goedgekeurd"
        RETURNED = "teruggestuurd", "Teruggestuurd"

    class ProjectStatus(models.TextChoices):
        ON_SCHEDULE = "op_schema", "Op schema"
        SMALL_DELAY = "kleine_vertraging", "Kleine vertraging"
        DELAYED = "vertraagd", "Vertraagd"
        FINISHED = "afgerond", "Afgerond"
        STOPPED = "gestopt", "Gestopt"

    EDITABLE_STATES = (State.DRAFT, State.RETURNED)
    # What the writer fills in; copied into the next period and into a correction.
    CONTENT_FIELDS = [
        "status",
        "progress",
        "results",
        "lessons",
        "governance",
        "expected_end",
        "planning_change_reason",
        "risks",
        "next_steps",
    ]

    project = models.ForeignKey(Project, verbose_name="project", on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(
        ReportingPeriod, verbose_name="periode", on_delete=models.PROTECT, related_name="reports"
    )
    revision = models.PositiveSmallIntegerField(
        "versie", default=1, help_text="Een correctie krijgt een nieuwe versie."
    )
    state = models.CharField("stand", max_length=20, choices=State.choices, default=State.DRAFT)
    lock_version = models.PositiveIntegerField("bewerkingsnummer", default=1)
    status = models.CharField("status", max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.ON_SCHEDULE)
    progress = models.TextField("voortgang", blank=True)
    results = models.TextField("resultaten", blank=True, help_text="Eén resultaat per regel.")
    lessons = models.TextField("geleerde lessen", blank=True, help_text="Eén les per regel.")
    governance = models.TextField("governance en samenwerking", blank=True, help_text="Eén punt per regel.")
    expected_end = models.DateField("verwachte afronding", null=True, blank=True)
    planning_change_reason = models.TextField(
        "reden planningswijziging", blank=True, help_text="Verplicht als de verwachte afronding verschuift."
    )
    risks = models.TextField("risico's", blank=True)
    next_steps = models.TextField("volgende stappen", blank=True)
    return_reason = models.TextField("reden van terugsturen", blank=True)
    submitted_at = models.DateTimeField("ingediend op", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ingediend door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("beoordeeld op", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="beoordeeld door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = "voortgangsverslag"
        verbose_name_plural = "voortgangsverslagen"
        ordering = ["period__start", "project__code", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period", "revision"],
                name="report_revision_unique",
                violation_error_message="Dit project heeft al een verslag met deze versie voor deze periode.",
            ),
            models.UniqueConstraint(
                fields=["project", "period"],
                condition=~Q(state="goedgekeurd"),
                name="report_one_open_revision",
                violation_error_message="Er ligt voor dit project en deze periode al een verslag in behandeling.",
            ),
            models.CheckConstraint(
                condition=~Q(state="teruggestuurd") | ~Q(return_reason=""),
                name="report_returned_has_reason",
                violation_error_message="Geef een reden op waarom het verslag wordt teruggestuurd.",
            ),
        ]

    def __str__(self) -> str:
        suffix = f" (versie {self.revision})" if self.revision > 1 else ""
        return f"Verslag {self.period} – {self.project.code}{suffix}"

    def clean(self):
        if self.project_id and self.period_id and self.project.deal_id != self.period.deal_id:
            raise ValidationError({"period": "De periode hoort bij een andere deal dan het project."})

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES

    def result_lines(self) -> list[str]:
        return _lines(self.results)

    def lesson_lines(self) -> list[str]:
        return _lines(self.lessons)

    def governance_lines(self) -> list[str]:
        return _lines(self.governance)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ReminderLog(models.Model):
    """One reminder e-mail about one project's verslag for one period at one moment; never sent twice."""

    class Moment(models.TextChoices):
        BEFORE = "voor", "Vóór de inleverdatum"
        AFTER = "na", "Na de inleverdatum"

    period = models.ForeignKey(ReportingPeriod, verbose_name="periode", on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, verbose_name="project", on_delete=models.CASCADE, related_name="+")
    moment = models.CharField("moment", max_length=10, choices=Moment.choices)
    sent_at = models.DateTimeField("verstuurd op", auto_now_add=True)
    recipients = models.TextField("ontvangers")

    class Meta:
        verbose_name = "herinnering"
        verbose_name_plural = "herinneringen"
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["period", "project", "moment"], name="reminder_once_per_moment"),
        ]

    def __str__(self) -> str:
        return f"Herinnering {self.get_moment_display().lower()} {self.period} – {self.project.code}"


from projects.models_access import Decision, RoleAssignment  # noqa: E402,F401  (models Django must find)
from projects.models_lines import ProgrammeLine, ProgrammeLinePeriod  # noqa: E402,F401
