"""The example part's HTTP face: a line per route, the rest from its contract."""

from chassis.api import Api, get, post

from .contract import CONTRACT

# fmt: off
ROUTES = (
    post("/v1/example/notes", "add_note", ("branch",), created=("note_id", "id"),
         summary="Add a note."),
    get("/v1/example/notes/<int:note_id>", "get_note", summary="One note."),
)
# fmt: on

API = Api(CONTRACT, ROUTES)
