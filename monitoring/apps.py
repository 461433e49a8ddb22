from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Monitoring"

    def ready(self):
        from monitoring.worklist import monitoring_work
        from projects import worklist

        worklist.register(monitoring_work)
