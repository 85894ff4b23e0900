"""2. PostgreSQL restarted under load (4 readers, 2 writers): requests fail fast with 503 and none is
left unanswered, service resumes within 5 s of its return with no gateway restart, and no row is
half-written."""

import os
import threading
import time

from cluster import log, status_of
from faults import Load, check


def run(faults, database_url):
    gateway, base = faults.start_gateway("gateway-pg-restart", database_url, "local", extra=["--log-level", os.environ.get("FAULTS_LOG", "warning")])
    token, _ = faults.new_admin(base, "pg-restart")
    client_id = faults.psql("SELECT client_id FROM workflows ORDER BY created_at DESC LIMIT 1").strip()
    reads = Load(base, "/workflows?limit=20", token, threads=4).start()
    writes, lock, stop = [], threading.Lock(), threading.Event()

    def writer(index):
        number = 0
        while not stop.is_set():
            number += 1
            started = time.monotonic()
            status, body, seconds = status_of("POST", base + "/invitations", {"email": f"w{index}-{number}@pg-restart.test"},
                                              token=token, timeout=10)
            with lock:
                writes.append((started, seconds, status, (body or {}).get("id")))

    writers = [threading.Thread(target=writer, args=(i,), daemon=True) for i in range(2)]
    for thread in writers:
        thread.start()
    time.sleep(2)
    down_at = time.monotonic()
    faults.pg_stop("fast")
    time.sleep(4)
    up_at = time.monotonic()
    faults.pg_start()
    started_at = time.monotonic()
    time.sleep(8)
    stop.set()
    reads.stop()
    for thread in writers:
        thread.join()
    gateway.stop()
    samples = [(r[0], r[1], r[2], "read") for r in reads.samples] + [(w[0], w[1], w[2], "write") for w in writes]
    # Every request is answered: none waits for the client's timeout (status 0), not even one
    # whose statement was at PostgreSQL, or between two statements, at the instant it stopped.
    unanswered = [s for s in samples if s[2] == 0]
    during = [s for s in samples if down_at <= s[0] < started_at]
    failures = [s for s in samples if not 200 <= s[2] < 300]
    after_failures = [s for s in failures if s[0] >= started_at]
    resumed = (max(s[0] + s[1] for s in after_failures) - started_at) if after_failures else 0.0
    first_ok = min((s[0] + s[1] for s in samples if s[0] >= up_at and 200 <= s[2] < 300), default=started_at) - started_at
    outage_statuses = {}
    for s in during:
        outage_statuses[s[2]] = outage_statuses.get(s[2], 0) + 1
    slowest_failure = max((s[1] for s in failures), default=0.0)
    if os.environ.get("FAULTS_DEBUG"):
        for s in sorted(samples):
            if down_at - 1 <= s[0] <= started_at + 1 and (s[1] > 0.5 or not 200 <= s[2] < 300):
                log(f"    t={s[0] - down_at:+.2f} s took {s[1]:.2f} s status {s[2]} ({s[3]})")
    # Invitations are written with their audit entry in one transaction: neither without the other.
    acknowledged = [w[3] for w in writes if w[2] == 201]
    invitations = set(faults.psql(f"SELECT id FROM invitations WHERE client_id = '{client_id}'").split())
    audited = faults.psql(f"SELECT target FROM audit_log WHERE client_id = '{client_id}' AND action = 'invitation.created'").split()
    half_written = len(invitations.symmetric_difference(audited)) + (len(audited) - len(set(audited)))
    missing = [i for i in acknowledged if i not in invitations]
    result = {"outage_seconds": round(up_at - down_at, 1), "answers_during_outage": outage_statuses,
              "slowest_failure_seconds": round(slowest_failure, 2), "unanswered": len(unanswered), "resumed_seconds_after_return": round(resumed, 2), "first_success_after_return": round(max(first_ok, 0.0), 2),
              "failures_after_return": len(after_failures), "writes_acknowledged": len(acknowledged),
              "invitations": len(invitations), "half_written": half_written, "acknowledged_missing": len(missing)}
    log(f"  PostgreSQL down {up_at - down_at:.1f} s under 4 readers + 2 writers: answers during the outage {outage_statuses}, "
        f"slowest failure {slowest_failure:.2f} s, {len(unanswered)} unanswered; first success {max(first_ok, 0.0):.2f} s "
        f"and every request succeeds {resumed:.2f} s after PostgreSQL is back "
        f"({len(after_failures)} failures after its return); {len(acknowledged)} writes acknowledged, {len(missing)} missing, "
        f"{half_written} half-written")
    check(not unanswered, f"{len(unanswered)} requests were never answered (first at t={min(s[0] for s in unanswered) - down_at:+.2f} s)"
          if unanswered else "")
    check(set(outage_statuses) <= {200, 201, 503}, f"answers other than 503 during the outage: {outage_statuses}")
    check(slowest_failure <= 3, f"a failure took {slowest_failure:.2f} s (not fast)")
    check(resumed <= 5, f"service resumed {resumed:.2f} s after PostgreSQL's return (> 5 s)")
    check(half_written == 0 and not missing, f"half-written {half_written}, acknowledged and missing {missing[:3]}")
    return result
