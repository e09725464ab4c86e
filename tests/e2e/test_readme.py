"""The README's three calls, as a newcomer types them after `make up`, against the
running platform: the key read where the README says it is, each curl command sent
as curl would send it (its address the platform's), each answer what the README
says it is."""

import re
import shlex
from pathlib import Path

import requests

from tests.platform import on_the_shared_platform

platform = on_the_shared_platform()
README = Path(__file__).resolve().parents[2] / "README.md"
LOCAL = "http://127.0.0.1:8000"


def try_it() -> list[str]:
    """The commands of the first shell block under "## Try it"."""
    section = README.read_text().split("## Try it", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, flags=re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def send(command: str, base_url: str, key: str) -> requests.Response:
    """A curl command of the README as curl sends it: -H headers, -d a POST body."""
    words = shlex.split(command.replace("$KEY", key))
    assert words[0] == "curl", command
    headers, data, method, url = {}, None, None, None
    rest = iter(words[1:])
    for word in rest:
        if word == "-H":
            name, _, value = next(rest).partition(":")
            headers[name.strip()] = value.strip()
        elif word in ("-d", "--data"):
            data = next(rest)
        elif word == "-X":
            method = next(rest)
        else:
            url = word
    assert url.startswith(LOCAL), url
    method = method or ("POST" if data is not None else "GET")
    return requests.request(
        method, base_url + url[len(LOCAL) :], headers=headers, data=data, timeout=15
    )


def the_key(platform, assignment: str) -> str:
    """KEY=$(cat var/demo-admin.key): the file, in the platform's var directory."""
    path = re.fullmatch(r"KEY=\$\(cat var/(\S+)\)", assignment).group(1)
    return (platform.var / path).read_text().strip()


def test_the_readmes_calls_answer_as_it_says(platform):
    assignment, *calls = try_it()
    key = the_key(platform, assignment)
    answers = {}
    for command in calls:
        answer = send(command, platform.url, key)
        assert answer.status_code == 200, (command, answer.text)
        answers[shlex.split(command)[-1][len(LOCAL) :]] = answer.json()
    assert set(answers) == {
        "/v1/catalog/titles?q=pelangi",
        "/v1/people/programmes/PRG000001",
        "/v1/events?branch=KMN",
    }

    # The demo's T000001, Laskar Pelangi, with its copies at three branches.
    found = {t["id"]: t for t in answers["/v1/catalog/titles?q=pelangi"]["items"]}
    assert found["T000001"]["title"] == "Laskar Pelangi"
    assert {"SPN", "KMN", "PDT"} <= {a["branch"] for a in found["T000001"]["availability"]}

    # The first programme of the demo's year: a training on SLiMS, held and completed.
    programme = answers["/v1/people/programmes/PRG000001"]
    assert "SLiMS" in programme["topic"] and programme["kind"] == "training"
    assert programme["status"] == "completed" and programme["sessions"]

    # No key: what is on at Kumun Debai, each sitting saying whether it takes registrations.
    sittings = answers["/v1/events?branch=KMN"]["items"]
    assert sittings and {s["branch"] for s in sittings} == {"KMN"}
    assert all(isinstance(s["registration_open"], bool) for s in sittings)
