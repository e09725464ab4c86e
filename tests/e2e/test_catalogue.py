"""The catalogue over HTTP: the demo collection, copies per branch, MARC files and
OAI-PMH harvesting."""

import xml.etree.ElementTree as ET

from pymarc import Field, Record, Subfield

from tests.support import id_aliases

OAI = "{http://www.openarchives.org/OAI/2.0/}"
OAI_ID = "oai:pustaka.sungaipenuh:"
MARC = "{http://www.loc.gov/MARC21/slim}"


def test_the_demo_collection_is_there_and_indonesian_search_works(platform):
    branches = platform.get("/v1/catalog/branches").json()["items"]
    assert {"SPN", "KMN"} <= {b["code"] for b in branches}
    found = platform.get("/v1/catalog/titles", params={"q": "perpustakaan", "facets": "true"})
    body = found.json()
    titles = {t["title"] for t in body["items"]}
    assert "Pengantar Ilmu Perpustakaan" in titles
    assert body["facets"]["type"]
    pustaka = platform.get("/v1/catalog/titles", params={"q": "pustaka"}).json()
    assert pustaka["total"] == body["total"]  # the same root


def test_a_branch_manages_copies_only_at_its_own_branch(platform):
    kmn = platform.new_key("Cabang Kumun Debai", "branch", "--branch", "KMN")
    title = platform.post("/v1/catalog/titles", key=kmn, json={"title": "Cerita Kerinci"}).json()
    here = platform.post(
        f"/v1/catalog/titles/{title['id']}/items",
        key=kmn,
        json={"barcode": "KMN-E2E-1", "branch": "KMN", "location": "UMUM"},
    )
    assert here.status_code == 201, here.text
    there = platform.post(
        f"/v1/catalog/titles/{title['id']}/items",
        key=kmn,
        json={"barcode": "SPN-E2E-1", "branch": "SPN"},
    )
    assert there.status_code == 403
    lent = platform.patch("/v1/catalog/items/KMN-E2E-1", key=kmn, json={"status": "on_loan"})
    assert lent.status_code == 200 and lent.json()["status"] == "on_loan"
    shown = platform.get(f"/v1/catalog/titles/{title['id']}").json()
    assert shown["availability"] == [{"branch": "KMN", "available": 0, "total": 1}]


def test_a_title_answers_to_its_own_id_only(platform):
    made = platform.post("/v1/catalog/titles", json={"title": "Tambo Alam Kerinci"}).json()
    copy = {"barcode": "SPN-ALIAS-1", "branch": "SPN"}
    for alias in id_aliases(made["id"]):
        path = f"/v1/catalog/titles/{alias}"
        for answer in (
            platform.get(path),
            platform.get(path + "/marcxml"),
            platform.put(path, json={"title": "Bukan"}),
            platform.post(path + "/withdraw"),
            platform.post(path + "/items", json=copy),
        ):
            assert answer.status_code == 404, (alias, answer.text)
            assert answer.json()["details"] == {"id": alias}
        record = oai(platform, verb="GetRecord", metadataPrefix="oai_dc", identifier=OAI_ID + alias)
        assert record.find(f"{OAI}error").get("code") == "idDoesNotExist"
    assert platform.get(f"/v1/catalog/titles/{made['id']}").json() == made


def marc_upload() -> bytes:
    records = []
    for control, title in (("e2e-1", "Hikayat Raja Kerinci"), ("e2e-2", "Syair Danau Kerinci")):
        record = Record()
        record.add_field(Field(tag="001", data=control))
        record.add_field(Field(tag="245", indicators=["0", "0"], subfields=[Subfield("a", title)]))
        copy = [Subfield("a", "KMN"), Subfield("p", f"KMN-{control}")]  # Koha's item field
        record.add_field(Field(tag="952", indicators=[" ", " "], subfields=copy))
        records.append(record.as_marc())
    return b"".join(records) + b"not a marc record\x1d"


def test_marc_upload_is_kept_once_and_exports_as_marcxml(platform):
    data = marc_upload()
    first = platform.post("/v1/catalog/imports", files={"file": ("koleksi.mrc", data)}).json()
    assert first["added"] == 2 and first["failed"][0]["position"] == 3
    again = platform.post("/v1/catalog/imports", data=data).json()
    assert (again["added"], again["unchanged"]) == (0, 2)
    exported = platform.get("/v1/catalog/marcxml", params={"q": "kerinci hikayat"})
    assert exported.headers["Content-Type"].startswith("application/xml")
    records = ET.fromstring(exported.content).findall(f"{MARC}record")
    assert len(records) == 1
    [holding] = records[0].findall(f"{MARC}datafield[@tag='852']")
    assert holding.find(f"{MARC}subfield[@code='p']").text == "KMN-e2e-1"
    found = platform.get("/v1/catalog/titles", params={"q": "hikayat kerinci"}).json()
    assert found["items"][0]["availability"] == [{"branch": "KMN", "available": 1, "total": 1}]
    assert platform.post("/v1/catalog/imports", data=b"").status_code == 400


def oai(platform, **params):
    response = platform.get("/oai", key="", params=params)
    assert response.status_code == 200
    return ET.fromstring(response.content)


def test_a_harvester_takes_everything_then_only_changes_deletions_included(platform):
    identify = oai(platform, verb="Identify")
    assert identify.find(f"{OAI}Identify/{OAI}deletedRecord").text == "persistent"
    admin = identify.find(f"{OAI}Identify/{OAI}adminEmail").text
    assert admin == "pustaka@perpustakaan.sungaipenuh.example"  # from the configuration
    seen, params = [], {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}
    while True:
        page = oai(platform, **params)
        seen += [h.find(f"{OAI}identifier").text for h in page.iter(f"{OAI}header")]
        token = page.find(f".//{OAI}resumptionToken")
        if token is None or not token.text:
            break
        params = {"verb": "ListIdentifiers", "resumptionToken": token.text}
    total = platform.get("/v1/catalog/titles").json()["total"]
    assert len(seen) == len(set(seen)) >= total
    stamp = max(d.text for d in page.iter(f"{OAI}datestamp"))

    made = platform.post("/v1/catalog/titles", json={"title": "Akan Ditarik"}).json()
    assert platform.post(f"/v1/catalog/titles/{made['id']}/withdraw").status_code == 200
    changed = oai(platform, verb="ListRecords", metadataPrefix="marc21", **{"from": stamp})
    headers = {h.find(f"{OAI}identifier").text: h for h in changed.iter(f"{OAI}header")}
    deleted = headers[OAI_ID + made["id"]]
    assert deleted.get("status") == "deleted"
    bad = oai(platform, verb="ListRecords", metadataPrefix="mods")
    assert bad.find(f"{OAI}error").get("code") == "cannotDisseminateFormat"


def test_a_harvester_may_post_its_arguments_within_a_small_limit(platform):
    posted = platform.post("/oai", key="", data={"verb": "Identify"})
    assert posted.status_code == 200
    assert ET.fromstring(posted.content).find(f"{OAI}Identify") is not None
    # Any size was read before: four posts of 250 MB took the gateway to 1.6 GB.
    flood = platform.post("/oai", key="", data={"verb": "Identify", "pad": "x" * 1_000_000})
    assert (flood.status_code, flood.json()["error"]) == (413, "PAYLOAD_TOO_LARGE")


def test_a_search_sees_a_new_title_at_once_though_pages_are_cached(platform):
    query = {"q": "cindaku", "limit": 5}
    assert platform.get("/v1/catalog/titles", params=query).json()["total"] == 0
    made = platform.post("/v1/catalog/titles", json={"title": "Legenda Cindaku"})
    assert made.status_code == 201
    assert platform.get("/v1/catalog/titles", params=query).json()["total"] == 1
    # A write through the catalogue's other path (a copy) clears the pages too.
    copy = {"barcode": "SPN-CDK-1", "branch": "SPN"}
    assert platform.post(f"/v1/catalog/titles/{made.json()['id']}/items", json=copy).ok
    available = {**query, "available_at": "SPN"}
    assert platform.get("/v1/catalog/titles", params=available).json()["total"] == 1


def test_a_new_branch_is_listed_at_once_though_the_list_is_cached(platform):
    before = platform.get("/v1/catalog/branches").json()["items"]
    made = platform.post("/v1/catalog/branches", json={"code": "SKR", "name": "Cabang Sekar"})
    assert made.status_code == 200
    after = platform.get("/v1/catalog/branches").json()["items"]
    assert [b["code"] for b in after] == sorted([b["code"] for b in before] + ["SKR"])
