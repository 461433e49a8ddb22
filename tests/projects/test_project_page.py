"""The project page shows everything about a project: texts, verslagen, money, indicators."""

import re

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


def test_money_on_project_page_comes_from_the_finance_selector(client_for, kassier):
    html = page(client_for(kassier)).content.decode()
    section = html.split('id="financien"')[1]
    rijk = section.split('<th scope="row">Rijk</th>')[1].split("</tr>")[0]
    total = section.split("<tfoot>")[1].split("</tfoot>")[0]
    # 1310 today (fixtures/cleantech.json): programme 1300's Tabel 5/6/7 figures per category over its 4 projects.
    # Rijk: begroot 575.000 / 4 -> 143.751, uitgekeerd 409.377 / 4 -> 102.345, nog 41.406, besteed 12.500,
    # 12.500 / 102.345 = 12,2 %, shown as a whole percentage.
    assert re.findall(r'<td class="num">([^<]*)</td>', rijk) == [
        "€\u00a0143.751,00", "€\u00a0102.345,00", "€\u00a041.406,00", "€\u00a012.500,00", "12\u00a0%",
    ]  # fmt: skip
    # Total: begroot 2.792.000 / 4 -> 698.003; uitgekeerd 102.345 + 132.071 + 7.688 = 242.104;
    # nog 698.003 - 242.104 = 455.899; besteed 12.500 + 0 + 37.613 = 50.113; 50.113 / 242.104 = 20,7 % -> 21 %.
    assert re.findall(r'<td class="num">([^<]*)</td>', total) == [
        "€\u00a0698.003,00", "€\u00a0242.104,00", "€\u00a0455.899,00", "€\u00a050.113,00", "21\u00a0%",
    ]  # fmt: skip


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
