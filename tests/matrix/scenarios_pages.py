"""Pages that are only read, and the account pages outside the deal's roles."""

from tests.matrix import samples
from tests.matrix.registry import LOGGED_IN, Cell, read_page, scenario


def deal_kwargs(deal, personas):
    return {"deal_code": deal.code}


def project_kwargs(deal, personas):
    return {"deal_code": deal.code, "project_code": samples.SAMPLE_PROJECT}


def _with(extra):
    """URL arguments of the sample deal plus ``extra(deal, personas)``."""
    return lambda deal, personas: {"deal_code": deal.code, **extra(deal, personas)}


# Start pages that send the user on to their (first) deal.
read_page("finance:index", "read_finance", get_ok=(302,), form_chooses_object=True)
read_page("finance:tranche-index", "read_tranche_list", get_ok=(302,), form_chooses_object=True)
read_page("finance:findings-index", "read_findings", get_ok=(302,), form_chooses_object=True)
read_page("monitoring:index", "read_indicators", get_ok=(302,), form_chooses_object=True)
read_page("projects:role-index", "manage_roles", get_ok=(302,), form_chooses_object=True)
read_page("reports:index", "read_reports", form_chooses_object=True)
read_page("home", LOGGED_IN)
read_page("projects:report-list", LOGGED_IN)
read_page("finance:workbook-template", LOGGED_IN)  # an empty template: no data of any deal
read_page("projects:period-list", "read_periods", form_chooses_object=True)

# The deal and its projects.
read_page("projects:deal-detail", "read_deal", kwargs=deal_kwargs)
read_page("projects:project-detail", "read_project", kwargs=project_kwargs)
read_page("projects:period-detail", "read_periods", kwargs=_with(lambda deal, p: {"period_name": samples.OPEN_PERIOD}))
for _name in ("projects:report-detail", "projects:report-history"):
    read_page(_name, "read_verslag", kwargs=_with(lambda deal, p: {"pk": samples.submitted_verslag(deal, p).pk}))

# Money.
read_page("finance:deal-overview", "read_finance", kwargs=deal_kwargs)
read_page("finance:booking-list", "read_finance", kwargs=deal_kwargs)
read_page("finance:years-deal", "read_finance", kwargs=deal_kwargs)
read_page("finance:project-finance", "read_project_finance", kwargs=project_kwargs)
read_page("finance:years-project", "read_project_finance", kwargs=project_kwargs)
read_page("finance:tranche-list", "read_tranche_list", kwargs=deal_kwargs)
read_page(
    "finance:tranche-detail", "read_tranches", kwargs=_with(lambda d, p: {"pk": samples.pending_tranche(d, p).pk})
)
read_page("finance:findings", "read_findings", kwargs=deal_kwargs)
read_page("finance:decision-list", "read_decisions", kwargs=deal_kwargs)
read_page("finance:decision-detail", "read_decisions", kwargs=_with(lambda d, p: {"pk": samples.a_decision(d).pk}))
read_page(
    "finance:decision-document",
    "read_decisions",
    kwargs=_with(lambda d, p: {"pk": samples.decision_with_document(d).pk}),
)
read_page("finance:import-batch-list", "read_import_batches", kwargs=deal_kwargs)
read_page(
    "finance:import-batch-detail",
    "read_import_batches",
    kwargs=_with(lambda d, p: {"pk": samples.waiting_import_batch(d, p).pk}),
)
read_page("finance:project-conditions", "read_conditions", kwargs=project_kwargs)
read_page(
    "finance:condition-document",
    "read_tranches",  # a tranche's proof belongs to the payout
    kwargs=_with(lambda d, p: {"pk": samples.tranche_condition_with_document(d, p).pk}),
)
read_page(
    "finance:evidence-document",
    "read_conditions",
    kwargs=_with(lambda d, p: {"pk": samples.supplied_evidence(d, p).pk}),
)
read_page("finance:workbook-export", "export_workbook", kwargs=deal_kwargs)
read_page("finance:voucher-list", "read_vouchers", kwargs=project_kwargs)
read_page("finance:voucher-template", "write_vouchers", kwargs=project_kwargs)
read_page("finance:cofinancing", "read_cofinancing", kwargs=project_kwargs)
read_page(
    "finance:cofinancing-document",
    "read_cofinancing",
    kwargs=lambda d, p: {**project_kwargs(d, p), "pk": samples.pledge_with_document(d, p).pk},
)

# Monitoring and the report, every file format that is offered.
read_page("monitoring:deal-indicators", "read_indicators", kwargs=deal_kwargs)
read_page("monitoring:programme-indicators", "read_indicators", kwargs=_with(lambda d, p: {"programme_code": "1300"}))
for _fmt in ("xlsx", "csv"):
    read_page(
        "monitoring:measurement-export",
        "read_indicators",
        kwargs=_with(lambda d, p, fmt=_fmt: {"file_format": fmt}),
        variant=_fmt,
    )
read_page("reports:report-detail", "read_reports", kwargs=deal_kwargs)
read_page("reports:dashboard", "read_reports", kwargs=deal_kwargs)
for _fmt in ("pdf", "xlsx", "json"):  # the page itself is the HTML
    read_page("reports:report-export", "read_reports", kwargs=_with(lambda d, p, fmt=_fmt: {"fmt": fmt}), variant=_fmt)
read_page("reports:published-list", "read_reports", kwargs=deal_kwargs)
for _fmt in ("pdf", "json"):
    read_page(
        "reports:published-download",
        "read_reports",
        kwargs=_with(lambda d, p, fmt=_fmt: {"version": samples.published_version(d, p), "fmt": fmt}),
        variant=_fmt,
    )


# The account pages answer everyone alike: they are about one's own account, not a deal.
def _account_page(name: str, fixed: dict, kwargs: dict | None = None) -> None:
    scenario(name, get=None, post=None, fixed=fixed)(lambda deal, personas: Cell(kwargs=kwargs or {}))


_RESET_LINK = {"uidb64": "MQ", "token": "verlopen-token"}  # a link that is no longer valid: the page says so
_account_page("login", {"anonymous": (200, 200), "logged_in": (302, 302)})
_account_page("logout", {"anonymous": (405, 302), "logged_in": (405, 302)})
_account_page("password_change", {"anonymous": (302, 302), "logged_in": (200, 200)})
_account_page("password_change_done", {"anonymous": (302, 302), "logged_in": (200, 405)})
_account_page("password_reset", {"anonymous": (200, 200), "logged_in": (200, 200)})
_account_page("password_reset_done", {"anonymous": (200, 405), "logged_in": (200, 405)})
_account_page("password_reset_confirm", {"anonymous": (200, 200), "logged_in": (200, 200)}, _RESET_LINK)
_account_page("password_reset_complete", {"anonymous": (200, 405), "logged_in": (200, 405)})
