from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Deals en projecten"

    def ready(self):
        from projects import worklist
        from projects.roles import grant_coordinator_admin_permissions
        from projects.worklist_items import project_work

        worklist.register(project_work)

        # Permissions exist only after every app has migrated, hence post_migrate.
        post_migrate.connect(grant_coordinator_admin_permissions, dispatch_uid="grant_coordinator_admin_permissions")
