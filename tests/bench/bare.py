"""The baseline HTTP route: nameko's @http making one RPC to a trivial method, the
pattern of nameko's own examples. `python -m tests.bench.bare ADDRESS AMQP_URI`."""

import warnings

warnings.filterwarnings("ignore", message="(?s).*Eventlet is deprecated")
import eventlet  # noqa: E402

eventlet.monkey_patch()

import json  # noqa: E402
import sys  # noqa: E402

from nameko.rpc import RpcProxy, rpc  # noqa: E402
from nameko.runners import ServiceRunner  # noqa: E402
from nameko.web.handlers import http  # noqa: E402


class BareBackend:
    name = "bare_backend"

    @rpc
    def get(self, item_id):
        return {"id": item_id}


class BareGateway:
    name = "bare_gateway"
    backend = RpcProxy("bare_backend")

    @http("GET", "/bare/<item_id>")
    def get(self, request, item_id):
        return json.dumps(self.backend.get(item_id))


if __name__ == "__main__":
    runner = ServiceRunner({"AMQP_URI": sys.argv[2], "WEB_SERVER_ADDRESS": sys.argv[1]})
    runner.add_service(BareBackend)
    runner.add_service(BareGateway)
    runner.start()
    runner.wait()
