"""A connection of the database driver alone (sqlite3 or psycopg), for the benchmarks' same-run baselines."""


def connect(url, *, autocommit: bool = False):
    """(connection, its parameter mark "?" or "%s") to the database of a SQLAlchemy URL; with `autocommit`
    the caller writes its own BEGIN and COMMIT."""
    if url.get_backend_name() == "sqlite":
        import sqlite3

        return sqlite3.connect(url.database, **({"isolation_level": None} if autocommit else {})), "?"
    import psycopg

    address = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(address, autocommit=autocommit), "%s"
