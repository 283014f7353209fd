"""Database layer: models, engine, migrations and the seed's DatabaseManager."""

from kreyol_ia.db.manager import DatabaseManager
from kreyol_ia.db.models import (
    APIKey,
    Base,
    Invite,
    MemoryEntry,
    RefreshToken,
    Task,
    TaskSegment,
    UsageStat,
    User,
)

__all__ = [
    "APIKey",
    "Base",
    "DatabaseManager",
    "Invite",
    "MemoryEntry",
    "RefreshToken",
    "Task",
    "TaskSegment",
    "UsageStat",
    "User",
]
