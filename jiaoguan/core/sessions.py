"""Django's database sessions, read with one SQL statement instead of an ORM query: the read is
part of every page, and the largest part of a parent's submission at the 9 a.m. rush (the ORM
spends four times the database's own time building the query). Writing is Django's own."""
from __future__ import annotations

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT session_data FROM {model._meta.db_table} WHERE session_key = %s AND expire_date > %s",
                           [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])
