"""Who may call the example part's routes: its rows of the access table
(tests/e2e/access.py), walked by tests/e2e/test_example_part.py."""

from tests.e2e.access import ANY_KEY, BRANCHES, EVERYONE

ACCESS = {
    ("POST", "/v1/example/notes"): BRANCHES,
    ("GET", "/v1/example/notes/{note_id}"): ANY_KEY,
    ("GET", "/catatan/{note_id}"): EVERYONE,
}
