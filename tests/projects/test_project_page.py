"""The project page shows everything about a project: texts, verslagen, money, indicators."""

from django.urls import reverse


def page(client, project_code="1310"):
    return client.get(reverse("projects:project-detail", args=["cleantech", project_code]))


def test_theme_manager_sees_money_and_indicators_of_own_project(client_for, theme_manager):
    response = page(client_for(theme_manager))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Financiën per financier" in html
    assert "Indicatoren en metingen" in html
    assert "Meting toevoegen" in html


def test_money_on_project_page_comes_from_the_finance_selector(client_for, kassier, deal):
    from django.utils import timezone

    from finance.selectors import project_figures

    project = deal.projects.get(code="1310")
    total = project_figures(project=project, as_of=timezone.localdate()).total
    html = page(client_for(kassier)).content.decode()
    assert total.begroot > 0
    assert f"{total.begroot:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") in html


def test_theme_manager_of_another_programme_sees_no_money_of_this_project(client_for, other_theme_manager):
    response = page(client_for(other_theme_manager))
    assert response.status_code == 200
    assert "Financiën per financier" not in response.content.decode()
    assert "Meting toevoegen" not in response.content.decode()


def test_penvoerder_sees_own_project_without_finance(client_for, lead):
    response = page(client_for(lead))
    assert response.status_code == 200
    assert "Financiën per financier" not in response.content.decode()


def test_project_page_query_count_is_bounded(client_for, coordinator, django_assert_max_num_queries):
    client = client_for(coordinator)
    page(client)  # warm the caches of the session and permissions
    with django_assert_max_num_queries(25):
        assert page(client).status_code == 200
