"""The peer the write figures are measured against: nameko-examples' `orders`
service and the gateway in front of it, as they are written there (products and
their RPC left out, so that a write is one RPC as ours are):

  POST /orders      the gateway validates the body with marshmallow, makes one RPC;
                    the service inserts an order and its line through a session of
                    its own (nameko-sqlalchemy's DatabaseSession: one per worker,
                    closed after it), commits, dispatches `order_created` with
                    nameko's EventDispatcher (a publisher confirm), returns the
                    order dumped by its schema
  GET /orders/<id>  one RPC, a read by primary key, the order dumped

Each role is a process of its own, as the example deploys them:
`python -m tests.bench.peer orders|gateway AMQP_URI DATABASE_URL ADDRESS`; the role
`schema` makes its tables first (the example's Alembic migration does).
"""

import warnings

warnings.filterwarnings("ignore", message="(?s).*Eventlet is deprecated")
import eventlet  # noqa: E402

eventlet.monkey_patch()

import datetime  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402

from marshmallow import Schema, ValidationError, fields  # noqa: E402
from nameko.events import EventDispatcher  # noqa: E402
from nameko.extensions import DependencyProvider  # noqa: E402
from nameko.rpc import RpcProxy, rpc  # noqa: E402
from nameko.runners import ServiceRunner  # noqa: E402
from nameko.web.handlers import http  # noqa: E402
from sqlalchemy import DECIMAL, Column, DateTime, ForeignKey, Integer, create_engine  # noqa: E402
from sqlalchemy.orm import declarative_base, relationship, sessionmaker  # noqa: E402
from werkzeug import Response  # noqa: E402

from chassis.db import normalise_url  # noqa: E402

DeclarativeBase = declarative_base()


class Order(DeclarativeBase):
    __tablename__ = "orders"

    id = Column(Integer, primary_key=True, autoincrement=True)
    created_at = Column(DateTime, default=datetime.datetime.utcnow, nullable=False)
    updated_at = Column(
        DateTime, default=datetime.datetime.utcnow, onupdate=datetime.datetime.utcnow
    )


class OrderDetail(DeclarativeBase):
    __tablename__ = "order_details"

    id = Column(Integer, primary_key=True, autoincrement=True)
    order_id = Column(Integer, ForeignKey("orders.id", name="fk_order_details_orders"))
    order = relationship(Order, backref="order_details")
    product_id = Column(Integer, nullable=False)
    price = Column(DECIMAL(18, 2), nullable=False)
    quantity = Column(Integer, nullable=False)


class OrderDetailSchema(Schema):
    id = fields.Int()
    product_id = fields.Int(required=True)
    price = fields.Decimal(as_string=True, required=True)
    quantity = fields.Int(required=True)


class OrderSchema(Schema):
    id = fields.Int(required=True)
    order_details = fields.Nested(OrderDetailSchema, many=True, required=True)


class CreateOrderDetailSchema(Schema):
    product_id = fields.Int(required=True)
    price = fields.Decimal(as_string=True, required=True)
    quantity = fields.Int(required=True)


class CreateOrderSchema(Schema):
    order_details = fields.Nested(CreateOrderDetailSchema, many=True, required=True)


class NotFound(Exception):
    pass


class DatabaseSession(DependencyProvider):
    """nameko-sqlalchemy's: an engine per container, a session per worker."""

    def __init__(self, base):
        self.base = base

    def setup(self):
        self.engine = create_engine(normalise_url(self.container.config["DATABASE_URL"]))
        self.sessions = {}
        self.factory = sessionmaker(bind=self.engine)

    def stop(self):
        self.engine.dispose()

    def get_dependency(self, worker_ctx):
        session = self.factory()
        self.sessions[worker_ctx] = session
        return session

    def worker_teardown(self, worker_ctx):
        session = self.sessions.pop(worker_ctx)
        session.close()


class OrdersService:
    name = "orders"

    db = DatabaseSession(DeclarativeBase)
    event_dispatcher = EventDispatcher()

    @rpc
    def get_order(self, order_id):
        order = self.db.get(Order, order_id)
        if not order:
            raise NotFound(f"Order with id {order_id} not found")
        return OrderSchema().dump(order)

    @rpc
    def create_order(self, order_details):
        order = Order(
            order_details=[
                OrderDetail(
                    product_id=detail["product_id"],
                    price=detail["price"],
                    quantity=detail["quantity"],
                )
                for detail in order_details
            ]
        )
        self.db.add(order)
        self.db.commit()
        order = OrderSchema().dump(order)
        self.event_dispatcher("order_created", {"order": order})
        return order


class GatewayService:
    name = "gateway"

    orders_rpc = RpcProxy("orders")

    @http("GET", "/orders/<int:order_id>", expected_exceptions=NotFound)
    def get_order(self, request, order_id):
        order = self.orders_rpc.get_order(order_id)
        return Response(json.dumps(OrderSchema().dump(order)), mimetype="application/json")

    @http("POST", "/orders", expected_exceptions=ValidationError)
    def create_order(self, request):
        order_data = CreateOrderSchema().loads(request.get_data(as_text=True))
        serialized = CreateOrderSchema().dump(order_data)
        order = self.orders_rpc.create_order(serialized["order_details"])
        return Response(json.dumps(order), mimetype="application/json")


def create_schema(url: str) -> None:
    engine = create_engine(normalise_url(url))
    DeclarativeBase.metadata.create_all(engine)
    engine.dispose()


if __name__ == "__main__":
    role, amqp_uri, database_url = sys.argv[1:4]
    if role == "schema":
        create_schema(database_url)
        sys.exit()
    config = {"AMQP_URI": amqp_uri, "DATABASE_URL": database_url}
    if role == "gateway":
        config["WEB_SERVER_ADDRESS"] = sys.argv[4]
    runner = ServiceRunner(config)
    runner.add_service(GatewayService if role == "gateway" else OrdersService)
    runner.start()
    runner.wait()
