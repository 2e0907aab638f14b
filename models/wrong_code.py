"""Wrong codes typed at /v, counted per client in the database so that every app process sees one count."""

from datetime import datetime

from sqlmodel import Field, SQLModel


class WrongCode(SQLModel, table=True):
    """One wrong code: who typed it (a keyed hash of the client's address, never the address) and when.
    Rows older than the counting window are deleted as new ones arrive; right codes leave no row."""

    __tablename__ = "wrong_code"

    id: int | None = Field(default=None, primary_key=True)
    client: str = Field(max_length=64, index=True)
    at: datetime = Field(index=True)
