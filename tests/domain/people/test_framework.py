"""The competency framework: four built-in areas, imports from CSV or JSON that are
all or nothing, and what each position requires (SQLite, then PostgreSQL)."""

import json

import pytest

from chassis.context import SYSTEM
from chassis.errors import Forbidden, NotFound, ValidationFailed
from services.people import competencies

from .helpers import KMN, read, run

SKKNI_CSV = "\n".join(
    [
        "area,area_name_id,area_name_en,code,name_id,name_en,levels,proficient",
        "SKKNI,Unit SKKNI Pustakawan,SKKNI librarian units,R.85SPU00.001.2,"
        "Merencanakan pengembangan koleksi,Planning collection development,4,3",
        "SKKNI,,,R.85SPU00.009.2,Melakukan katalogisasi deskriptif,Doing descriptive cataloguing,,",
    ]
)


def codes(db) -> dict[str, list[str]]:
    framework = read(db, competencies.get_framework)
    return {a["code"]: [c["code"] for c in a["competencies"]] for a in framework["areas"]}


def test_four_areas_come_with_the_service(people_db):
    framework = read(people_db, competencies.get_framework)
    names = {a["code"]: (a["name_id"], a["name_en"]) for a in framework["areas"]}
    assert names == {
        "TI": ("Teknologi Informasi", "Information technology"),
        "MP": ("Manajemen Perpustakaan", "Library management"),
        "LP": ("Layanan Pelanggan", "Customer service"),
        "LI": ("Literasi Informasi", "Information literacy"),
    }
    found = codes(people_db)
    assert {"TI-SIPUS", "TI-BASDAT", "TI-MEDSOS"} <= set(found["TI"])
    assert {"MP-KOLEKSI", "MP-RUANG"} <= set(found["MP"])
    assert "LP-KOMUNIKASI" in found["LP"] and found["LI"]
    one = framework["areas"][0]["competencies"][0]
    assert (one["levels"], one["proficient"]) == (4, 3)


def test_skkni_units_come_in_from_csv(people_db):
    report = run(people_db, competencies.import_competencies, SKKNI_CSV, "csv", SYSTEM)
    assert report == {"areas_added": 1, "added": 2, "updated": 0}
    framework = read(people_db, competencies.get_framework)
    skkni = next(a for a in framework["areas"] if a["code"] == "SKKNI")
    assert skkni["competencies"][1] == {
        "code": "R.85SPU00.009.2",
        "area": "SKKNI",
        "name_id": "Melakukan katalogisasi deskriptif",
        "name_en": "Doing descriptive cataloguing",
        "levels": 4,
        "proficient": 3,
    }
    again = run(people_db, competencies.import_competencies, SKKNI_CSV, "csv", SYSTEM)
    assert again == {"areas_added": 0, "added": 0, "updated": 2}


def test_one_bad_row_refuses_the_file_and_every_bad_row_is_reported(people_db):
    rows = [
        {"area": "TI", "code": "TI-AI", "name_id": "Kecerdasan artifisial", "name_en": "AI"},
        {"area": "TI", "code": "TI-X", "name_id": "", "name_en": "X"},
        {"area": "BARU", "code": "B-1", "name_id": "Satu", "name_en": "One"},
        {"area": "TI", "code": "TI-AI", "name_id": "Lagi", "name_en": "Again"},
        {
            "area": "TI",
            "code": "TI-Y",
            "name_id": "Y",
            "name_en": "Y",
            "levels": 3,
            "proficient": 4,
        },
    ]
    with pytest.raises(ValidationFailed) as err:
        run(people_db, competencies.import_competencies, json.dumps(rows), "json", SYSTEM)
    assert err.value.details["rows"] == [
        {"row": 2, "field": "name_id", "reason": "Length must be between 1 and 200."},
        {"row": 3, "field": "area_name_id", "reason": "Area BARU is new: name it (id and en)."},
        {"row": 4, "field": "code", "reason": "Also in row 1."},
        {"row": 5, "field": "proficient", "reason": "Must not be above levels."},
    ]
    assert "TI-AI" not in codes(people_db)["TI"]


def test_what_is_not_a_framework_file_is_refused(people_db):
    for text, format in [("[1, 2]", "json"), ("{", "json"), ("a,b\n1,2", "csv"), ("", "xml")]:
        with pytest.raises(ValidationFailed):
            run(people_db, competencies.import_competencies, text, format, SYSTEM)
    with pytest.raises(Forbidden):
        run(people_db, competencies.import_competencies, SKKNI_CSV, "csv", KMN)


def test_each_position_states_the_level_it_requires(people_db):
    required = read(people_db, competencies.get_requirements, "ahli_muda")["requirements"]
    assert {"competency": "TI-SIPUS", "level": 3} in required
    put = {"competency": "TI-SIPUS", "level": 4}
    after = run(people_db, competencies.put_requirement, "ahli_muda", put, SYSTEM)
    assert {"competency": "TI-SIPUS", "level": 4} in after["requirements"]
    removed = run(
        people_db,
        competencies.put_requirement,
        "ahli_muda",
        {"competency": "TI-SIPUS", "level": 0},
        SYSTEM,
    )
    assert "TI-SIPUS" not in [r["competency"] for r in removed["requirements"]]
    with pytest.raises(ValidationFailed):
        run(
            people_db,
            competencies.put_requirement,
            "mahir",
            {"competency": "TI-SIPUS", "level": 5},
            SYSTEM,
        )
    with pytest.raises(ValidationFailed):
        run(
            people_db,
            competencies.put_requirement,
            "mahir",
            {"competency": "NOPE", "level": 1},
            SYSTEM,
        )
    with pytest.raises(NotFound):
        read(people_db, competencies.get_requirements, "kepala")
    with pytest.raises(Forbidden):
        run(people_db, competencies.put_requirement, "mahir", put, KMN)


def test_a_change_of_a_required_level_is_told_and_every_requirement_listed(people_db):
    from services.people.contract import POSITIONS
    from tests.support import emitted

    put = {"competency": "TI-SIPUS", "level": 4}
    run(people_db, competencies.put_requirement, "ahli_muda", put, SYSTEM)
    run(people_db, competencies.put_requirement, "ahli_muda", put, SYSTEM)  # as it is
    gone = {"competency": "TI-SIPUS", "level": 0}
    run(people_db, competencies.put_requirement, "ahli_muda", gone, SYSTEM)
    run(people_db, competencies.put_requirement, "ahli_muda", gone, SYSTEM)  # none to remove
    told = [e["data"] for e in emitted(people_db, "requirement_changed")]
    assert told == [
        {"position": "ahli_muda", "competency": "TI-SIPUS", "level": 4},
        {"position": "ahli_muda", "competency": "TI-SIPUS", "level": 0},
    ]
    listed, cursor = [], None
    while True:
        found = read(people_db, competencies.list_requirements, {"limit": 7, "cursor": cursor})
        listed += found["items"]
        if not (cursor := found["next_cursor"]):
            break
    expected = [
        {"position": p, **r}
        for p in POSITIONS
        for r in read(people_db, competencies.get_requirements, p)["requirements"]
    ]
    key = lambda r: (r["position"], r["competency"])  # noqa: E731
    assert [key(r) for r in listed] == sorted(key(r) for r in listed)  # in order, once each
    assert sorted(listed, key=key) == sorted(expected, key=key) and len(listed) > 7
