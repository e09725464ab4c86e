"""The events slice's pages on their own, the service replaced by stubs: the
calendar's filters are the contract's vocabulary and the service's branches, with
labels from the catalogues (a value without one shows as it is); a refused
registration is the form again with a summary, the reasons beside their fields in
the page's language and what was typed kept; the door names the branches."""

from werkzeug.datastructures import MultiDict
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from chassis.errors import Conflict, Forbidden, ValidationFailed
from gateway.web.events import pages
from services.events.contract import AUDIENCES, PROGRAMME_TYPES

BRANCHES = {
    "items": [
        {"code": "KMN", "name": "Perpustakaan Cabang Kumun Debai"},
        {"code": "SPN", "name": "Perpustakaan Kota Sungai Penuh (Pusat)"},
    ]
}
OCCURRENCE = {
    "id": "OCC0000001", "programme_id": "EVT000001", "title": "Malam <Puisi>",
    "starts_at": "2026-03-02T19:00:00+07:00", "ends_at": "2026-03-02T21:00:00+07:00",
    "branch": "KMN", "room": None, "programme_type": "poetry_night", "audience": "adults",
    "status": "scheduled", "seats_left": 3, "registration_open": True,
}  # fmt: skip
PROGRAMME = {
    "id": "EVT000001", "title": "Malam <Puisi>", "programme_type": "storytime",
    "audience": "children", "branch": "KMN", "room": "Aula", "presenter": None,
    "description": "", "occurrences": [OCCURRENCE],
}  # fmt: skip


def request(path="/acara", method="GET", query="", form=None) -> Request:
    return Request(EnvironBuilder(path=path, method=method, query_string=query).get_environ())


def html(response) -> str:
    return response.get_data(as_text=True)


def test_the_filters_are_the_contracts_values_and_the_services_branches():
    calendar = pages.calendar_page(
        request(), lambda wanted: {"items": [OCCURRENCE], "next_cursor": None}, lambda: BRANCHES
    )
    text = html(calendar)
    assert calendar.status_code == 200
    # "All" thrice, then every type and audience of the contract, and each branch
    assert text.count('<option value="') == 3 + len(PROGRAMME_TYPES) + len(AUDIENCES) + 2
    assert '<option value="KMN">Perpustakaan Cabang Kumun Debai</option>' in text
    assert '<option value="storytime">Mendongeng</option>' in text
    # a type no catalogue translates yet still shows, as it is spelled
    assert "poetry_night &middot; Dewasa" in text and "Malam &lt;Puisi&gt;" in text
    english = html(
        pages.calendar_page(
            request(query="lang=en"), lambda w: {"items": [], "next_cursor": None}, lambda: BRANCHES
        )
    )
    assert '<option value="storytime">Storytime</option>' in english


def test_a_calendar_shows_what_the_service_says_of_each_occurrence():
    begun = {**OCCURRENCE, "seats_left": 0, "registration_open": False}
    held = {**begun, "id": "OCC0000002", "status": "completed"}
    listed = {"items": [begun, held], "next_cursor": None}
    text = html(pages.calendar_page(request(), lambda wanted: listed, lambda: BRANCHES))
    assert "daftar tunggu" not in text  # neither is offered for a waitlist
    assert "Pendaftaran ditutup" in text and "Sudah berlangsung" in text


def test_a_programme_of_many_sessions_has_one_form_for_the_session_chosen():
    sessions = [
        {**OCCURRENCE, "id": f"OCC000000{n}", "starts_at": f"2026-03-0{n}T19:00:00+07:00"}
        for n in (1, 2, 3)
    ]
    sessions[2]["registration_open"] = False  # begun: the service says it is closed
    programme = {**PROGRAMME, "occurrences": sessions}

    def shown(query=""):
        answer = pages.programme_page(
            request("/acara/EVT000001", query=query), "EVT000001", lambda p: programme,
            lambda: BRANCHES,
        )  # fmt: skip
        return html(answer)

    text = shown()
    assert 'class="register"' not in text
    assert text.count("Pilih sesi ini") == 2 and "Pendaftaran ditutup" in text
    assert "Perpustakaan Cabang Kumun Debai, Aula" in text  # the branch by name
    chosen = shown("sesi=OCC0000002")
    assert chosen.count('class="register"') == 1 and 'id="form-OCC0000002"' in chosen
    assert chosen.count("Pilih sesi ini") == 1
    assert 'class="register"' not in shown("sesi=OCC0000003")  # closed: no form for it


def refused_registration(exc, lang="id", programme="EVT000001"):
    def register(occurrence_id, typed):
        assert typed["contact"] == "12345"
        raise exc

    form = MultiDict(
        {"name": "", "contact": " 12345 ", "age_group": "teen", "programme": programme}
    )
    return pages.registered_page(
        request("/acara/daftar/OCC0000001", "POST", f"lang={lang}"),
        "OCC0000001",
        lambda: form,
        register,
        lambda programme_id: PROGRAMME,
        lambda: BRANCHES,
    )


def test_a_refused_registration_is_its_form_again_with_the_reasons_beside_the_fields():
    fields = {
        "name": ["Length must be between 1 and 200."],
        "contact": ["Not an Indonesian mobile number: write it as 08... or +628..."],
    }
    answer = refused_registration(ValidationFailed("bad", {"fields": fields}))
    text = html(answer)
    assert answer.status_code == 400 and 'lang="id"' in text
    assert 'href="#name-OCC0000001">Tulis nama Anda.</a>' in text
    assert 'id="error-contact-OCC0000001">Tulis nomor HP yang diawali 08 atau +628' in text
    assert 'id="contact-OCC0000001"' in text and 'value="12345" aria-invalid="true"' in text
    assert '<option value="teen" selected>Remaja</option>' in text
    assert "Not an Indonesian" not in text and "Length must" not in text
    english = html(refused_registration(ValidationFailed("bad", {"fields": fields}), "en"))
    assert "There is a problem" in english and "Enter your name." in english


def test_the_known_refusals_are_sentences_in_the_pages_language():
    twice = Conflict("This person is already registered.", {"occurrence_id": "OCC0000001",
                                                            "field": "contact"})  # fmt: skip
    text = html(refused_registration(twice, "en"))
    assert 'id="error-contact-OCC0000001">This mobile number or e-mail address is already' in text
    started = Conflict("OCC0000001 has started.", {"occurrence_id": "OCC0000001"})
    text = html(refused_registration(started))
    assert 'id="error-form-OCC0000001">Sesi ini tidak menerima pendaftaran lagi' in text
    # without its programme (an old form), the reasons alone, on a page of their own
    alone = refused_registration(started, programme="")
    assert alone.status_code == 409 and "Pendaftaran tidak dapat diproses" in html(alone)


def test_the_door_names_the_branches_of_a_code_from_elsewhere():
    def lookup(code):
        raise Forbidden("this key may not act at branch 'SPN'",
                        {"branch": "SPN", "caller_branch": "KMN"})  # fmt: skip

    door = pages.door_page(request("/pintu", query="code=abcd2345"), lookup, lambda: BRANCHES)
    text = html(door)
    assert door.status_code == 403 and "may not act" not in text
    assert (
        "Kode ini untuk kegiatan di Perpustakaan Kota Sungai Penuh (Pusat). Perangkat ini "
        "hanya mencatat kehadiran di Perpustakaan Cabang Kumun Debai." in text
    )
    assert 'value="ABCD2345" autofocus' in text


def test_a_ticket_names_its_branch():
    found = {**OCCURRENCE, "code": "ABCD2345", "status": "confirmed", "waitlist_position": None}
    ticket = pages.ticket_page(request("/acara/tiket/ABCD2345"), "ABCD2345", lambda c: found,
                               lambda: BRANCHES)  # fmt: skip
    assert "WIB &middot; Perpustakaan Cabang Kumun Debai" in html(ticket)
