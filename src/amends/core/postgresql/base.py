"""Django's PostgreSQL backend, with a health check that needs no round trip.

With ``CONN_HEALTH_CHECKS`` on, Django checks a kept connection before the first query of each
request, by sending ``SELECT 1`` and waiting for the answer: one more round trip on every
request. When the server ends a connection (a restart, an administrator, an idle timeout) it
tells the client, or at least closes the socket, so the end is already waiting to be read. Here
the check reads, without waiting, whatever the server sent since the last query, and asks libpq
whether the connection is still good. A connection the network dropped without a word is found
by the first query instead, as it would be by ``SELECT 1``; Django then closes it at the end of
the request and the next request connects afresh.
"""

from __future__ import annotations

import psycopg
from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        conn = self.connection
        if conn is None or conn.closed or conn.broken:
            return False
        pgconn = conn.pgconn
        try:
            pgconn.consume_input()  # never blocks: reads only what has already arrived
        except psycopg.OperationalError:
            return False
        return bool(
            pgconn.status == pq.ConnStatus.OK
            and pgconn.transaction_status != pq.TransactionStatus.UNKNOWN
        )
