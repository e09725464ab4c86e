"""The example part's slice of the web app, in its own folder: a note as a page for
people. The gateway takes it on from the part's `web` (part.py), as it does the
slices under gateway/web/."""

from gateway.edge.calls import ServiceClient
from gateway.edge.http import PUBLIC, routes_over
from gateway.web.shell.render import PageQuery, common, message

from .contract import CONTRACT

route = routes_over(CONTRACT)


class NotePages:
    example = ServiceClient(CONTRACT)

    @route("GET", "/catatan/<int:note_id>", PUBLIC, calls="get_note", query=PageQuery,
           response=None, page=True, summary="A note, as a page for people.")  # fmt: skip
    def note_page(self, request, note_id):
        note = self.example.get_note(note_id)
        return message(common(request), 200, note["text"], tone="valid")


WEB = (NotePages,)
