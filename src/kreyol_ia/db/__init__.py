"""Database layer: models, engine, migrations and the seed's DatabaseManager."""

from kreyol_ia.db.manager import DatabaseManager
from kreyol_ia.db.models import APIKey, Base, MemoryEntry, RefreshToken, Task, UsageStat, User

__all__ = [
    "APIKey",
    "Base",
    "DatabaseManager",
    "MemoryEntry",
    "RefreshToken",
    "Task",
    "UsageStat",
    "User",
]
