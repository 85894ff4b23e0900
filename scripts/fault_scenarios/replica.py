"""10. Reads on a streaming replica (issue 23): a gateway with --database-read-url reads tenant
lists and workflows there once the replica has replayed the primary's latest commit. Under load,
stopping the replica fails no read (reads go to the primary), a workflow written is read back at
once every time, and reads return to the replica once it is started again."""

import os
import threading
import time

from cluster import log, status_of
from faults import Load, check

DEFINITION = {"trigger": {"type": "manual"}, "steps": [{"type": "notify"}]}


def run(faults, database_url):
    def reads_on(base, on):
        return int(faults.metric(base, "database_reads_total", on=on))

    replica_url = faults.start_replica()
    gateway, base = faults.start_gateway(
        "gateway-replica", database_url, "local",
        extra=["--database-read-url", replica_url, "--page-cache-mb", "0",
               "--log-level", os.environ.get("FAULTS_LOG", "warning")])
    token, _ = faults.new_admin(base, "replica")
    reads = Load(base, "/workflows?limit=20", token, threads=4).start()
    # A writer that reads each workflow back at once, by id, through the same gateway.
    writes, missed, lock, stop = [], [], threading.Lock(), threading.Event()

    def writer():
        number = 0
        while not stop.is_set():
            number += 1
            status, body, _ = status_of("POST", base + "/workflows", {"name": f"R{number}", "definition": DEFINITION},
                                        token=token, timeout=10)
            if status != 201:
                with lock:
                    writes.append(status)
                continue
            read, _, _ = status_of("GET", base + f"/workflows/{body['id']}", token=token, timeout=10)
            with lock:
                writes.append(status)
                if read != 200:
                    missed.append(read)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    time.sleep(3)
    on_replica_before = reads_on(base, "replica")
    down_at = time.monotonic()
    faults.replica_stop("fast")
    time.sleep(4)
    on_primary_during = reads_on(base, "primary")
    faults.replica_start()
    up_at = time.monotonic()
    time.sleep(4)
    on_replica_after = reads_on(base, "replica")
    stop.set()
    reads.stop()
    thread.join()
    gateway.stop()
    failed = [s for s in reads.samples if s[2] != 200]
    during = [s for s in reads.samples if down_at <= s[0] < up_at]
    result = {"reads": len(reads.samples), "failed_reads": len(failed), "reads_while_replica_down": len(during),
              "writes": len(writes), "writes_not_read_back": len(missed),
              "reads_on_replica_before_stop": on_replica_before, "reads_on_primary_by_restart": on_primary_during,
              "reads_on_replica_after_restart": on_replica_after}
    log(f"  replica stopped for {up_at - down_at:.1f} s under 4 readers and a writer: {len(reads.samples)} reads, "
        f"{len(failed)} failed ({len(during)} while it was down); {len(writes)} writes, {len(missed)} not read back at once; "
        f"reads on the replica {on_replica_before} before the stop, {on_replica_after} after its restart")
    check(not failed, f"{len(failed)} reads failed: {sorted({s[2] for s in failed})}")
    check(not missed, f"{len(missed)} workflows were not read back at once: {missed[:5]}")
    check(all(status == 201 for status in writes), f"writes failed: {sorted(set(writes))}")
    check(on_replica_before > 0, "no read went to the replica before it was stopped")
    check(on_replica_after > on_replica_before, "reads did not return to the replica after its restart")
    return result
