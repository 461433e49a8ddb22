from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Rapportages"

    def ready(self):
        from projects import worklist
        from reports.worklist import reports_work

        worklist.register(reports_work)
