def test_coordinator_logs_in_and_browses_the_demo_deal(page, login):
    login("coordinator")
    assert page.get_by_role("heading", name="Welkom, Carla Coördinator").is_visible()
    page.get_by_role("link", name="Cleantech Regio Deal").first.click()
    assert page.get_by_role("heading", name="Cleantech Regio Deal").is_visible()
    page.get_by_role("link", name="Technicampus Experience Centre").click()
    assert page.get_by_role("heading", name="1110 Technicampus Experience Centre").is_visible()


def test_wrong_password_shows_dutch_error(page):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("kassier")
    page.get_by_label("Wachtwoord").fill("verkeerd")
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_role("alert").inner_text().startswith("Gebruikersnaam of wachtwoord klopt niet")
