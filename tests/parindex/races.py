"""Two requests racing on PostgreSQL with real transactions, for the services tests.

`race_held` is deterministic: the first call runs in a transaction kept open (its row locks held)
until the second is seen waiting for a lock in pg_stat_activity, so the second is decided by
PostgreSQL re-checking its conditional UPDATE after the first commits. `race_together` releases all
calls at once from a barrier. Each call runs on its own connection, closed when it ends."""

import threading
import time

from django.db import connection, transaction


def lock_waiters():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0]


def race_held(first, second, *, first_must=None):
    """Both results. `first_must(result)`, when given, is checked before the second call starts:
    a race whose first call did not succeed holds no lock to wait for."""
    release, first_done, results = threading.Event(), threading.Event(), {}

    def run_first():
        try:
            with transaction.atomic():
                results["first"] = first()
                first_done.set()
                assert release.wait(20), "the test never released the first transaction"
        finally:
            first_done.set()
            connection.close()

    def run_second():
        try:
            results["second"] = second()
        finally:
            connection.close()

    t1 = threading.Thread(target=run_first)
    t1.start()
    assert first_done.wait(20)
    if first_must is not None:
        assert first_must(results.get("first")), results.get("first")
    t2 = threading.Thread(target=run_second)
    t2.start()
    deadline = time.monotonic() + 20
    while lock_waiters() == 0:
        assert time.monotonic() < deadline, "the second call never waited for the first one's lock"
        time.sleep(0.02)
    release.set()
    t1.join(20)
    t2.join(20)
    return results["first"], results["second"]


def race_together(*calls):
    """The results of `calls` released together from a barrier, in their order."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, fn):
        try:
            barrier.wait(10)
            outcomes[i] = fn()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes
