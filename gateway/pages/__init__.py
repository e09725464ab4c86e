"""The public HTML pages: what a person without an API client meets, on a phone.
Server-rendered from Jinja2 templates (templates/), Indonesian first with English
selectable (?lang=en), usable without JavaScript, with nothing from another host.
A page renders what a service answered; it holds no business rule of its own."""
