from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = "Financiën"

    def ready(self):
        from finance.worklist import finance_work
        from projects import worklist

        worklist.register(finance_work)
