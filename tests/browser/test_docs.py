"""/docs in a real browser, as an integrator uses it: the API explorer renders from
the gateway alone, takes a key through Authorize, and runs a call with Try it out."""

from playwright.sync_api import expect


def test_the_explorer_renders_every_route_from_the_gateway_alone(page, page_requests, platform):
    page.goto("/docs")
    search = page.locator("#operations-catalog-search_titles")
    expect(search).to_be_visible()
    expect(search).to_contain_text("/v1/catalog/titles")
    expect(page.locator(".info .title")).to_contain_text("Pustaka API")

    page.wait_for_load_state("networkidle")
    assert platform.url + "/v1/openapi.json" in page_requests
    assert any("/docs/assets/swagger-ui-bundle.js" in url for url in page_requests)
    assert page_requests.elsewhere(platform.url) == []


def test_a_pasted_key_authorises_try_it_out(page, page_requests, platform):
    page.goto("/docs")
    page.get_by_role("button", name="Authorize").first.click()
    dialog = page.locator(".dialog-ux")
    # the bearer key's form (the pages' signed-in cookie has one of its own)
    bearer = dialog.locator("form").filter(has=page.get_by_label("auth-bearer-value"))
    bearer.get_by_label("auth-bearer-value").fill(platform.admin_key)
    bearer.get_by_role("button", name="Authorize", exact=True).click()
    dialog.get_by_role("button", name="Close").first.click()

    branches = page.locator("#operations-catalog-list_branches")
    branches.locator(".opblock-summary").click()
    branches.get_by_role("button", name="Try it out").click()
    branches.get_by_role("button", name="Execute").click()

    answer = branches.locator(".live-responses-table tr.response")
    expect(answer.locator(".response-col_status")).to_have_text("200")
    expect(answer.locator(".response-col_description")).to_contain_text('"SPN"')
    assert page_requests.elsewhere(platform.url) == []


def test_the_event_catalogue_reads_as_a_page(page, page_requests, platform):
    page.goto("/docs/events")
    expect(page.locator("h1")).to_have_text("Pustaka events")
    created = page.locator('h3[id="catalog.title_created"]')
    expect(created).to_be_visible()
    expect(page.locator("table").nth(1)).to_contain_text("title")
    page.get_by_role("link", name="people").click()
    expect(page.locator('h2[id="people"]')).to_be_in_viewport()
    assert page_requests.elsewhere(platform.url) == []
