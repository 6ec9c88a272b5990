"""Notes service: a small example backend built with Flask, SQLAlchemy 2 and Alembic."""

__version__ = "0.1.0"
