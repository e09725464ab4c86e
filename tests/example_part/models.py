from sqlalchemy import Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from chassis.outbox import Outbox
from chassis.tables import reliability_tables

from .contract import CONTRACT


class Base(DeclarativeBase):
    pass


outbox_table = reliability_tables(Base.metadata).outbox
outbox = Outbox(CONTRACT, outbox_table)


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(String(200), nullable=False)
