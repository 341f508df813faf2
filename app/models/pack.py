from sqlalchemy import Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class PackSettings(Base):
    """One row (absent until first set): how this engagement's Stage 1 pack looks and what it
    holds. Kept in the file so the branding travels with the client's engagement."""

    __tablename__ = "pack_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    confidentiality: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    accent: Mapped[str] = mapped_column(String(7), nullable=False, default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    sections: Mapped[str] = mapped_column(Text, nullable=False, default="")  # JSON list; "" = all
    paper: Mapped[str] = mapped_column(String(10), nullable=False, default="a4")
    # Since format 6: the document made last, the Stage 1 submission or the readiness report.
    kind: Mapped[str] = mapped_column(
        String(20), nullable=False, default="submission", server_default="submission"
    )
