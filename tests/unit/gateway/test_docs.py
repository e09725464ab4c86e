"""gateway/edge/docs.py alone: what the /docs page links to, and which files it serves.
The page in a real browser is tests/browser/test_docs.py."""

import re

import pytest

from chassis.errors import NotFound
from gateway.edge import docs


def linked_urls(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_the_page_links_only_to_the_gateways_own_files():
    urls = linked_urls(docs.page_html())
    assert urls and all(url.startswith("/") and not url.startswith("//") for url in urls)
    assets = {url.split("?")[0].rsplit("/", 1)[1] for url in urls if url.startswith("/docs/")}
    assert assets == set(docs.ASSETS)
    assert "://" not in docs.page_html()


def test_the_explorer_reads_our_document_and_never_the_public_validator():
    assert 'url: "/v1/openapi.json"' in docs.INITIALISE
    assert "validatorUrl: null" in docs.INITIALISE
    assert "persistAuthorization: true" in docs.INITIALISE


def test_the_page_lets_the_browser_fetch_from_its_own_origin_only():
    policy = docs.page_response().headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert "http" not in policy  # no outside host is allowed anything


@pytest.mark.parametrize("name", sorted(docs.ASSETS))
def test_each_listed_file_is_served_with_its_type_for_a_year(name):
    response = docs.asset_response(name)
    assert response.status_code == 200 and response.mimetype == docs.ASSETS[name]
    assert response.headers["Cache-Control"] == docs.ASSET_CACHE_CONTROL
    assert len(response.get_data()) > 100


def test_an_assets_url_changes_with_its_content():
    url = docs.asset_url("swagger-ui-bundle.js")
    assert re.fullmatch(r"/docs/assets/swagger-ui-bundle\.js\?v=[0-9a-f]{12}", url)


@pytest.mark.parametrize(
    "name",
    [
        "index.html",  # in the package, not in the list
        "swagger-ui-bundle.js.map",
        "../__init__.py",
        "..%2F__init__.py",
        "/etc/passwd",
        "SWAGGER-UI.CSS",
        "",
    ],
)
def test_any_other_name_is_not_found(name):
    with pytest.raises(NotFound):
        docs.asset_response(name)
