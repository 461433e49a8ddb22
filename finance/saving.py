"""The one way the finance services write a row: validated, with the acting user in its history.

full_clean() runs the model's own rules and constraints before the database sees the row; simple_history
takes the author from ``_history_user`` when there is no request (services, imports, commands).
"""

from django.contrib.auth.models import User
from django.db import models


def save_with_history(instance: models.Model, user: User | None) -> None:
    instance.full_clean()
    instance._history_user = user
    instance.save()
