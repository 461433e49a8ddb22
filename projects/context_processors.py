from projects.roles import ROLE_LABELS, user_roles


def roles(request):
    names = user_roles(request.user)
    return {
        "user_roles": names,
        "user_role_labels": [ROLE_LABELS[name] for name in ROLE_LABELS if name in names],
    }
