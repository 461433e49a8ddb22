"""Portal-wide role groups become role assignments in every existing deal.

Before, a user in the group 'kassier' was kassier everywhere; to keep an existing portal
working, each such user gets that role in every deal that exists now. The role groups go;
Beheer's model rights move to the group 'beheer' (see projects.roles).
"""

from django.db import migrations

ROLES = ["coordinator", "themalijnmanager", "kassier", "controller", "stuurgroep", "penvoerder"]


def groups_to_assignments(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Deal = apps.get_model("projects", "Deal")
    RoleAssignment = apps.get_model("projects", "RoleAssignment")
    deals = list(Deal.objects.all())
    beheer, _ = Group.objects.get_or_create(name="beheer")
    for group in Group.objects.filter(name__in=ROLES):
        for user in group.user_set.all():
            for deal in deals:
                RoleAssignment.objects.get_or_create(user=user, deal=deal, role=group.name, status="actief")
            if group.name == "coordinator":
                user.groups.add(beheer)
        group.delete()


def assignments_to_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    RoleAssignment = apps.get_model("projects", "RoleAssignment")
    for assignment in RoleAssignment.objects.filter(status="actief", role__in=ROLES):
        Group.objects.get_or_create(name=assignment.role)[0].user_set.add(assignment.user_id)


class Migration(migrations.Migration):
    dependencies = [("projects", "0004_roles_per_deal_and_decisions")]
    operations = [migrations.RunPython(groups_to_assignments, assignments_to_groups)]
