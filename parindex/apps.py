from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _sqlite_real_variable_limit(sender, connection, **kwargs):
    """Django assumes SQLite's old limit of 999 variables per query and splits bulk writes into
    batches of 999 / fields (49 history rows), so saving a 77-item sheet would take more queries than
    a small one. Use the library's real limit (32766 or more since SQLite 3.32)."""
    if connection.vendor != "sqlite":
        return
    import sqlite3

    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    if limit > connection.features.max_query_params:
        connection.features.max_query_params = limit


class ParindexConfig(AppConfig):
    name = "parindex"
    verbose_name = "Chỉ số cải cách hành chính"

    def ready(self):
        from django.db.models import Field, ForeignObject

        from parindex.lookups import AnyOf

        # Relations take only the lookups registered from ForeignObject down, not Field's.
        Field.register_lookup(AnyOf)
        ForeignObject.register_lookup(AnyOf)
        connection_created.connect(_sqlite_real_variable_limit, dispatch_uid="parindex_sqlite_variable_limit")
