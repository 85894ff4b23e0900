"""3. Gateway SIGKILLed while webhooks arrive: every delivery that got a 2xx is applied exactly once
after the restart."""

import http.client as httpclient
import json
import threading
import time

from cluster import free_port, log
from faults import check, deliver


def run(faults, database_url):
    port = free_port()
    gateway, base = faults.start_gateway("gateway-sigkill", database_url, "local", port=port)
    acknowledged, lock, stop = [], threading.Lock(), threading.Event()
    sent = [0]

    def sender(index):
        connection = httpclient.HTTPConnection("127.0.0.1", port, timeout=5)
        number = 0
        while not stop.is_set():
            number += 1
            user = f"kill-{index}-{number}"
            body = json.dumps({"event_name": "user.signup", "user": {"id": user, "email": f"{user}@faults.test",
                                                                    "email_verified": True, "updated_at": 1000}}, separators=(",", ":"))
            try:
                status = deliver(connection, body)
                with lock:
                    sent[0] += 1
                if 200 <= status < 300:
                    with lock:
                        acknowledged.append(user)
            except (OSError, httpclient.HTTPException):
                connection.close()
                time.sleep(0.05)
                connection = httpclient.HTTPConnection("127.0.0.1", port, timeout=5)

    threads = [threading.Thread(target=sender, args=(i,), daemon=True) for i in range(8)]
    for thread in threads:
        thread.start()
    faults.wait_for(lambda: len(acknowledged) >= 300, 60, "300 acknowledged deliveries")
    gateway.kill()
    killed_with = len(acknowledged)
    stop.set()
    for thread in threads:
        thread.join()
    gateway, base = faults.start_gateway("gateway-sigkill-restart", database_url, "local", port=port)
    faults.wait_for(lambda: faults.count("SELECT COUNT(*) FROM webhook_events WHERE status = 'PENDING' AND authorizer_id LIKE 'kill-%'") == 0,
                  120, "the inbox to drain")
    gateway.stop()
    rows = faults.psql("SELECT authorizer_id, COUNT(*) FROM webhook_events WHERE authorizer_id LIKE 'kill-%' AND status = 'APPLIED' "
                     "GROUP BY authorizer_id").split()
    applied = {line.split("|")[0]: int(line.split("|")[1]) for line in rows}
    users = {line.split("|")[0]: int(line.split("|")[1]) for line in faults.psql(
        "SELECT authorizer_id, COUNT(*) FROM users WHERE authorizer_id LIKE 'kill-%' GROUP BY authorizer_id").split()}
    lost = [user for user in acknowledged if applied.get(user, 0) == 0 or users.get(user, 0) == 0]
    twice = [user for user, n in list(applied.items()) + list(users.items()) if n > 1]
    result = {"acknowledged": len(acknowledged), "acknowledged_before_kill": killed_with, "sent": sent[0],
              "applied_events": len(applied), "lost": len(lost), "applied_twice": len(twice)}
    log(f"  SIGKILL after {killed_with} acknowledged deliveries ({sent[0]} answered in all): after restart "
        f"{len(applied)} events applied, lost {len(lost)}, applied twice {len(twice)}")
    check(not lost, f"acknowledged and lost: {lost[:5]}")
    check(not twice, f"applied twice: {twice[:5]}")
    return result
