"""The deployment files say what they mean: every manifest parses, every workload is
sized and hardened, probes exist, commands name real service classes, and migrations
run once, before the services. Reads files only: no Docker, no cluster, no network."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from chassis.config import ROOT
from chassis.migrations import revisions, upgrade
from deploy.checks import broker_port, established_to, wait_for_schema
from pustaka import platform
from tests.chaos.brokers import CLUSTER_CONF

PARTS = {p.name for p in platform.parts()}

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
K8S = DEPLOY / "k8s"
BASE = K8S / "base"
WORKLOADS = {"Deployment", "Job", "StatefulSet"}
RUN = ["pustaka", "run"]
IMAGE = "pustaka"


def load(path: Path) -> list:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def objects(root: Path = K8S) -> list[tuple[Path, dict]]:
    """(file, object) for every Kubernetes object under root; kustomizations aside."""
    return [
        (path, doc)
        for path in sorted(root.rglob("*.yaml"))
        if path.name != "kustomization.yaml"
        for doc in load(path)
    ]


def named(kind: str, name: str, root: Path = K8S) -> dict:
    found = [d for _, d in objects(root) if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)}"
    return found[0]


def workloads(root: Path = K8S) -> list[dict]:
    return [d for _, d in objects(root) if d["kind"] in WORKLOADS]


def pod(workload: dict) -> dict:
    return workload["spec"]["template"]["spec"]


def containers(workload: dict) -> list[dict]:
    return pod(workload).get("initContainers", []) + pod(workload)["containers"]


def ours(container: dict) -> bool:
    return container["image"].split(":")[0] == IMAGE


def runs_ours(workload: dict) -> bool:
    """A workload of the platform's own image (not Redis, RabbitMQ, PostgreSQL)."""
    return any(map(ours, containers(workload)))


def compose() -> dict:
    return load(DEPLOY / "compose.yaml")[0]


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order; comment lines dropped, continuations joined."""
    text = (DEPLOY / "Dockerfile").read_text().splitlines()
    joined = "\n".join(ln for ln in text if not ln.lstrip().startswith("#"))
    joined = joined.replace("\\\n", " ")
    return [(m[1].upper(), m[2].strip()) for m in re.finditer(r"^(\w+)\s+(.*)$", joined, re.M)]


def dockerfile_env() -> dict[str, str]:
    env = {}
    for instruction, args in dockerfile():
        if instruction == "ENV":
            for token in shlex.split(args):
                key, _, value = token.partition("=")
                env[key] = value
    return env


def commands() -> list[tuple[str, list[str]]]:
    """(where, argv) of every container command in the manifests and the Dockerfile."""
    found = [
        (f"{w['kind']}/{w['metadata']['name']}", c["command"])
        for w in workloads()
        for c in containers(w)
        if "command" in c
    ]
    found += [
        (f"compose/{name}", service["command"])
        for name, service in compose()["services"].items()
        if "command" in service
    ]
    cmd = [args for instruction, args in dockerfile() if instruction == "CMD"][-1]
    return [*found, ("Dockerfile", yaml.safe_load(cmd))]


def test_every_yaml_file_parses_to_named_objects():
    files = sorted(DEPLOY.rglob("*.yaml"))
    assert len(files) >= 10
    for path in files:
        assert load(path), f"{path} is empty"
    for path, doc in objects():
        assert {"apiVersion", "kind", "metadata"} <= doc.keys(), path
        assert doc["metadata"].get("name"), path
    for path in K8S.rglob("kustomization.yaml"):
        assert load(path)[0]["kind"] in {"Kustomization", "Component"}, path
    assert {"rabbitmq", "postgres", "migrate"} <= compose()["services"].keys()


@pytest.mark.parametrize(
    "kustomization",
    sorted(K8S.rglob("kustomization.yaml")),
    ids=lambda p: str(p.parent.relative_to(K8S)),
)
def test_kustomization_lists_files_that_exist_and_misses_none(kustomization):
    spec = load(kustomization)[0]
    entries = spec.get("resources", []) + spec.get("components", [])
    assert entries
    for entry in entries:
        target = (kustomization.parent / entry).resolve()
        assert target.exists(), f"{kustomization}: {entry} does not exist"
        if target.is_dir():
            assert (target / "kustomization.yaml").exists(), f"{entry} is no kustomization"
    listed = {e for e in entries if e.endswith(".yaml")}
    beside = {p.name for p in kustomization.parent.glob("*.yaml")} - {"kustomization.yaml"}
    assert beside <= listed, f"manifests not in {kustomization}: {beside - listed}"


def test_overlays_are_compositions_not_forks():
    for overlay in (K8S / "overlays").iterdir():
        assert [p.name for p in overlay.iterdir()] == ["kustomization.yaml"], overlay
        assert "../../base" in load(overlay / "kustomization.yaml")[0]["resources"]
    assert {p.name for p in (K8S / "overlays").iterdir()} >= {"rabbitmq-cluster", "postgres"}


def container_ids():
    return [
        pytest.param(w, c, id=f"{w['kind']}/{w['metadata']['name']}/{c['name']}")
        for w in workloads()
        for c in containers(w)
    ]


@pytest.mark.parametrize("workload,container", container_ids())
def test_container_is_sized_and_hardened(workload, container):
    for bound in ("requests", "limits"):
        assert {"cpu", "memory"} <= container.get("resources", {}).get(bound, {}).keys()
    pod_security = pod(workload).get("securityContext", {})
    security = container.get("securityContext", {})
    assert security.get("runAsNonRoot", pod_security.get("runAsNonRoot")) is True
    assert security.get("readOnlyRootFilesystem") is True
    assert security.get("allowPrivilegeEscalation") is False
    assert "ALL" in security.get("capabilities", {}).get("drop", [])
    # The namespace enforces the "restricted" Pod Security Standard, which needs this.
    assert pod_security.get("seccompProfile", {}).get("type") == "RuntimeDefault"


def test_our_containers_write_only_to_empty_dirs():
    config = named("ConfigMap", "pustaka-config")["data"]
    env = dockerfile_env()
    writable = env["PUSTAKA_VAR"]
    assert config["PUSTAKA_VAR"] == writable
    assert env["DATA_DIR"].startswith(writable + "/") and config["DATA_DIR"] == env["DATA_DIR"]
    checked = 0
    for workload in workloads():
        volumes = {v["name"]: v for v in pod(workload).get("volumes", [])}
        for container in filter(ours, containers(workload)):
            mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
            for path in (writable, "/tmp"):
                assert path in mounts, f"{workload['metadata']['name']}: nothing on {path}"
                assert "emptyDir" in volumes[mounts[path]]
            checked += 1
    assert checked >= 5


def test_deployments_probe_readiness_and_liveness_over_http_where_they_serve_it():
    address = named("ConfigMap", "pustaka-config")["data"]["WEB_SERVER_ADDRESS"]
    for workload in workloads():
        if workload["kind"] != "Deployment":
            continue
        for container in pod(workload)["containers"]:
            assert "readinessProbe" in container and "livenessProbe" in container
            ports = {p["name"]: p["containerPort"] for p in container.get("ports", [])}
            if ports and ours(container):
                for probe in ("readinessProbe", "livenessProbe"):
                    port = container[probe]["httpGet"]["port"]
                    assert port in ports or port in ports.values()
                    assert ports.get(port, port) == int(address.rsplit(":", 1)[1])
            if not ports and ours(container):  # a part: its processes' own probes
                part = workload["metadata"]["name"]
                for probe, check in (("readinessProbe", "ready"), ("livenessProbe", "alive")):
                    command = container[probe]["exec"]["command"]
                    assert command == ["pustaka", "check", check, part], (part, probe)
    gateway = pod(named("Deployment", "gateway"))["containers"][0]
    assert gateway["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert gateway["livenessProbe"]["httpGet"]["path"] == "/health"
    # /ready tries the broker for up to 2 s: the probe must wait longer.
    assert gateway["readinessProbe"]["timeoutSeconds"] > 2


def test_dockerfile_runs_as_the_non_root_user_the_pods_expect():
    users = [args for instruction, args in dockerfile() if instruction == "USER"]
    assert users, "the image runs as root"
    uid = users[-1].split(":")[0]
    # Numeric: Kubernetes checks runAsNonRoot against the image's user without /etc/passwd.
    assert uid.isdigit() and int(uid) != 0
    for workload in workloads():
        if any(map(ours, containers(workload))):
            assert pod(workload)["securityContext"]["runAsUser"] == int(uid)
    bases = [args.split()[0] for instruction, args in dockerfile() if instruction == "FROM"]
    assert bases and set(bases) == {"python:3.11-slim"}


def test_commands_run_the_parts_of_the_platform():
    runs = [(where, argv[len(RUN)]) for where, argv in commands() if argv[: len(RUN)] == RUN]
    assert len(runs) >= 5
    for where, name in runs:
        assert name in PARTS, f"{where} runs {name}, not a part of the platform"
        assert platform.part(name).service_class().name == name
        if where.startswith(("Deployment/", "compose/")):
            assert where.split("/")[1] == name, f"{where} runs the {name} part"
    deployed = {where.split("/")[1] for where, _ in runs if where.startswith("Deployment/")}
    composed = {where.split("/")[1] for where, _ in runs if where.startswith("compose/")}
    assert deployed == PARTS, "every part needs a Deployment in k8s/base"
    assert composed == PARTS, "every part needs a service in compose.yaml"
    in_base = {
        w["metadata"]["name"] for w in workloads(BASE) if w["kind"] == "Deployment" and runs_ours(w)
    }
    assert in_base == PARTS


def test_migrations_run_once_in_a_job_and_services_wait_for_them():
    job = named("Job", "pustaka-migrate", BASE)
    assert job["spec"]["parallelism"] == job["spec"]["completions"] == 1
    steps = [c["command"] for c in containers(job)]
    # Users and queues first: a schema at head then means they exist too.
    assert steps == [["pustaka", "broker-users"], ["pustaka", "declare"], ["pustaka", "migrate"]]
    # the image's own pustaka, on PATH (pip installs the console script)
    for where, argv in commands():
        if not where.startswith(("Job/", "compose/migrate")):
            assert "pustaka migrate" not in " ".join(argv), f"{where} migrates: replicas race"
    for workload in workloads(BASE):
        if workload["kind"] == "Deployment" and runs_ours(workload):
            name = workload["metadata"]["name"]
            waits = [c["command"] for c in pod(workload).get("initContainers", [])]
            assert ["pustaka", "check", "schema", name] in waits
            assert name in PARTS


def test_compose_services_start_after_migrate():
    services = compose()["services"]
    migrate = services["migrate"]
    assert re.fullmatch(
        r"pustaka broker-users && pustaka migrate && pustaka declare", migrate["command"][-1]
    )
    for dependency in ("rabbitmq", "postgres"):
        assert migrate["depends_on"][dependency]["condition"] == "service_healthy"
        assert services[dependency]["healthcheck"]["test"]
    dependants = [n for n, s in services.items() if s.get("image") == migrate["image"]]
    assert set(dependants) >= PARTS
    for name in dependants:
        if name != "migrate":
            condition = services[name]["depends_on"]["migrate"]["condition"]
            assert condition == "service_completed_successfully", name
    assert services["catalog"]["deploy"]["replicas"]


def test_every_part_has_a_database_of_its_own():
    secret = named("Secret", "pustaka-secrets", BASE)["stringData"]
    environment = compose()["services"]["migrate"]["environment"]
    init_sql = compose()["configs"]["pustaka-databases"]["content"]
    parts = named("Secret", "postgres-parts")["stringData"]
    for part in PARTS:
        for urls in (secret, environment):
            url = urlparse(urls[f"{part.upper()}__DATABASE_URL"])
            assert url.scheme.startswith("postgresql") and url.path == f"/{part}"
        assert f"CREATE DATABASE {part} OWNER {part};" in init_sql
        assert part in parts
    broker = named("Secret", "pustaka-broker", BASE)["stringData"]
    assert "CHANGE-ME" in broker["AMQP_URI"], "the Secret template must look like one"


def own_passwords(environment: dict) -> set[str]:
    return {k.split("__")[0].lower() for k in environment if k.endswith("__BROKER_PASSWORD")}


def test_each_part_reaches_the_broker_as_itself_and_only_the_migration_as_administrator():
    # The parts' shared settings name no broker user...
    for shared in (
        named("Secret", "pustaka-secrets", BASE)["stringData"],
        compose()["services"]["catalog"]["environment"],
    ):
        assert not urlparse(shared["AMQP_URI"]).username
    # ...each part's pods get their own password and no other...
    for workload in workloads(BASE):
        if workload["kind"] == "Deployment" and runs_ours(workload):
            name = workload["metadata"]["name"]
            (main,) = pod(workload)["containers"]
            env = {
                e["name"]: e["valueFrom"]["secretKeyRef"]
                for e in main.get("env", [])
                if "valueFrom" in e
            }
            assert own_passwords(env) == {name}, name
            assert all(ref["name"] == "pustaka-broker" for ref in env.values())
            sources = [s["secretRef"]["name"] for s in main["envFrom"] if "secretRef" in s]
            assert "pustaka-broker" not in sources, f"{name} would read every password"
    for name, service in compose()["services"].items():
        if name in PARTS:
            assert own_passwords(service["environment"]) == {name}, name
    # ...and the migration, which makes their users, has every password and the admin's URI.
    broker = named("Secret", "pustaka-broker", BASE)["stringData"]
    assert own_passwords(broker) == PARTS and urlparse(broker["AMQP_URI"]).username
    job = named("Job", "pustaka-migrate", BASE)
    for container in containers(job):
        assert container["envFrom"][-1] == {"secretRef": {"name": "pustaka-broker"}}
    migrate = compose()["services"]["migrate"]["environment"]
    assert own_passwords(migrate) == PARTS and urlparse(migrate["AMQP_URI"]).username


def test_amqp_uri_names_the_vhost_made_with_quorum_queues():
    vhost = urlparse(named("Secret", "pustaka-secrets", BASE)["stringData"]["AMQP_URI"]).path
    rabbitmq = named("StatefulSet", "rabbitmq")
    assert rabbitmq["spec"]["replicas"] == 3
    script = pod(rabbitmq)["containers"][0]["lifecycle"]["postStart"]["exec"]["command"][-1]
    made = re.findall(r"add_vhost (\S+) --default-queue-type quorum", script)
    assert made == [vhost.lstrip("/")]
    config = named("ConfigMap", "rabbitmq-config")["data"]
    assert "rabbitmq_peer_discovery_k8s" in config["enabled_plugins"]
    # The fault suite's cluster (tests/chaos) runs its nodes as these are configured.
    for line in CLUSTER_CONF.splitlines():
        assert line in config["10-pustaka.conf"].splitlines()


def test_the_gateway_replicas_share_their_limits_in_a_redis_started_beside_them():
    # Kubernetes: the gateway's pods name a Service of the base, which selects a Redis
    gateway = named("Deployment", "gateway", BASE)
    assert gateway["spec"]["replicas"] >= 2
    (main,) = pod(gateway)["containers"]
    env = {e["name"]: e.get("value") for e in main["env"]}
    storage = urlparse(env["GATEWAY_LIMITS_STORAGE"])
    assert storage.scheme == "redis"
    service = named("Service", storage.hostname, BASE)
    assert storage.port in [p["port"] for p in service["spec"]["ports"]]
    (redis,) = [
        w
        for w in workloads(BASE)
        if service["spec"]["selector"].items()
        <= w["spec"]["template"]["metadata"]["labels"].items()
    ]
    (server,) = pod(redis)["containers"]
    assert server["image"].startswith("redis:") and "redis-server" in server["command"]
    assert {"readinessProbe", "livenessProbe"} <= server.keys()
    # compose: the same, and the gateway starts once the Redis answers
    services = compose()["services"]
    storage = urlparse(services["gateway"]["environment"]["GATEWAY_LIMITS_STORAGE"])
    assert storage.scheme == "redis" and services[storage.hostname]["image"].startswith("redis:")
    assert services[storage.hostname]["healthcheck"]["test"]
    depends = services["gateway"]["depends_on"]
    assert depends[storage.hostname]["condition"] == "service_healthy"
    assert depends["migrate"]["condition"] == "service_completed_successfully"
    # the settings are ones the gateway reads
    assert {"GATEWAY_LIMITS_STORAGE", "GATEWAY_TRUSTED_PROXIES"} <= platform.load_config().keys()


def test_replicated_workloads_have_a_disruption_budget():
    budgets = [d for _, d in objects() if d["kind"] == "PodDisruptionBudget"]
    for workload in workloads():
        if workload["kind"] == "Job" or workload["spec"].get("replicas", 1) < 2:
            continue
        labels = workload["spec"]["template"]["metadata"]["labels"]
        selecting = [
            b for b in budgets if b["spec"]["selector"]["matchLabels"].items() <= labels.items()
        ]
        assert len(selecting) == 1, f"{workload['metadata']['name']} has no disruption budget"


TCP_TABLE = """\
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid
   0: 0100007F:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000 10001
   1: 0A000105:9C40 0A000207:1628 {state} 00000000:00000000 00:00000000 00000000 10001
"""


def test_broker_check_needs_an_established_connection_to_the_broker_port():
    port = broker_port("amqp://pustaka:secret@rabbitmq:5672/pustaka")
    assert port == 5672 and broker_port("amqps://rabbitmq/pustaka") == 5671
    assert established_to(port, TCP_TABLE.format(state="01"))
    assert not established_to(port, TCP_TABLE.format(state="06"))  # TIME_WAIT
    assert not established_to(5671, TCP_TABLE.format(state="01"))
    # A port we listen on is not a connection to the broker.
    assert not established_to(8000, TCP_TABLE.format(state="01"))


def test_schema_check_waits_until_the_database_is_at_every_head(tmp_path):
    catalog = platform.part("catalog")
    config = {"catalog": {"DATABASE_URL": f"sqlite:///{tmp_path / 'catalog.db'}"}}
    current, heads = revisions(catalog, config)
    assert current == set() and len(heads) == 2  # its own history and the shared branch
    assert not wait_for_schema("catalog", lambda: revisions(catalog, config), 0, timeout=0)
    upgrade(catalog, config)
    assert revisions(catalog, config) == (heads, heads)
    assert wait_for_schema("catalog", lambda: revisions(catalog, config), 0, timeout=0)


def documented_scaling() -> dict[str, tuple[int, int]]:
    """deploy/README.md's table of scaling bounds: part -> (min, max)."""
    rows = re.findall(
        r"^\s*\| `(\w+)` \| (\d+) \| (\d+) \|", (DEPLOY / "README.md").read_text(), re.M
    )
    return {name: (int(low), int(high)) for name, low, high in rows}


def test_every_deployment_scales_by_cpu_within_its_documented_bounds():
    deployments = {
        w["metadata"]["name"]: w
        for w in workloads(BASE)
        if w["kind"] == "Deployment" and runs_ours(w)  # a part's, not Redis'
    }
    autoscalers = [d for _, d in objects(BASE) if d["kind"] == "HorizontalPodAutoscaler"]
    scaled = {}
    for hpa in autoscalers:
        assert hpa["apiVersion"] == "autoscaling/v2"
        target = hpa["spec"]["scaleTargetRef"]
        assert (target["apiVersion"], target["kind"]) == ("apps/v1", "Deployment")
        assert target["name"] not in scaled, f"two autoscalers for {target['name']}"
        scaled[target["name"]] = hpa["spec"]
    assert scaled.keys() == deployments.keys() == PARTS
    documented = documented_scaling()
    for name, spec in scaled.items():
        low, high = spec["minReplicas"], spec["maxReplicas"]
        assert documented.get(name) == (low, high), f"{name}: deploy/README.md says otherwise"
        # At least 2: with the disruption budget a drain leaves one replica serving; the
        # Deployment's own count (what an apply sets before the autoscaler acts) within.
        assert 2 <= low <= deployments[name]["spec"]["replicas"] <= high
        (metric,) = spec["metrics"]
        assert metric["type"] == "Resource" and metric["resource"]["name"] == "cpu"
        # CPU is measured against what the containers request: they must request it.
        for container in pod(deployments[name])["containers"]:
            assert container["resources"]["requests"]["cpu"]


def test_the_image_holds_every_package_the_project_installs():
    """A package pyproject.toml installs but the Dockerfile does not copy would be
    missing from the image only, where an import of it fails at start."""
    found = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    packages = {name.rstrip("*") for name in found["packages"]["find"]["include"]}
    copied = {
        args.split()[0].rstrip("/").split("/")[0] for op, args in dockerfile() if op == "COPY"
    }
    assert packages - copied == set(), "packages the Dockerfile does not copy"
