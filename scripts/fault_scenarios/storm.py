"""4. Webhook storm over two instances on one PostgreSQL (--storm-events distinct events, 20%
duplicated, 10% out of order): the final state equals the expected state row by row."""

import http.client as httpclient
import json
import random
import threading
import time
import urllib.parse

from cluster import log
from faults import check, deliver


def run(faults, database_url):
    count = faults.options.storm_events
    gateways = [faults.start_gateway(f"gateway-storm-{n}", database_url, "local") for n in range(2)]
    users = count // 3
    events, expected = [], {}
    rng = random.Random(20261129)
    for number in range(users):
        user = f"storm-{number}"
        email = f"{user}@faults.test"
        chain = []
        logins = rng.randint(1, 4)
        for step in range(logins + 1):
            chain.append(("user.signup" if step == 0 else "user.login", 1000 + step, f"Name{step}"))
        ending = rng.random()
        final = ("ACTIVE", f"Name{logins}")
        if ending < 0.10:
            chain.append(("user.deactivated", 1000 + logins + 1, f"Name{logins}"))
            final = ("SUSPENDED", f"Name{logins}")
        elif ending < 0.15:
            chain.append(("user.deleted", 1000 + logins + 1, f"Name{logins}"))
            final = ("DELETED", f"Name{logins}")
        expected[user] = (email,) + final
        for name, updated_at, given in chain:
            body = json.dumps({"event_name": name, "user": {"id": user, "email": email, "given_name": given, "email_verified": True,
                                                           "updated_at": updated_at}}, separators=(",", ":"))
            events.append((user, body))
    events = events[:count] if len(events) >= count else events
    # Keep the chains in order, then move 10% of the events later (out of order) and repeat 20% (duplicates).
    moved = 0
    for _ in range(len(events) // 10):
        index = rng.randrange(len(events) - 1)
        event = events.pop(index)
        events.insert(rng.randrange(index + 1, len(events) + 1), event)
        moved += 1
    duplicates = [events[rng.randrange(len(events))] for _ in range(len(events) // 5)]
    for event in duplicates:
        events.insert(rng.randrange(len(events) + 1), event)
    total = len(events)
    # Recompute the expectation for users whose chain was cut by `count`.
    present = {user for user, _ in events}
    expected = {user: value for user, value in expected.items() if user in present}
    for user in list(expected):
        bodies = [json.loads(body) for u, body in events if u == user]
        latest = max(bodies, key=lambda b: b["user"]["updated_at"])
        profile = max((b for b in bodies if b["event_name"] in ("user.signup", "user.login")), key=lambda b: b["user"]["updated_at"],
                      default=latest)
        status = {"user.deactivated": "SUSPENDED", "user.deleted": "DELETED"}.get(latest["event_name"], "ACTIVE")
        expected[user] = (latest["user"]["email"], status, profile["user"]["given_name"])

    answers = {}
    lock = threading.Lock()
    queue = list(enumerate(events))
    started = time.time()

    def sender(index):
        port = urllib.parse.urlparse(gateways[index % 2][1]).port
        connection = httpclient.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if not queue:
                    return
                position, (user, body) = queue.pop()
            for attempt in range(3):
                try:
                    status = deliver(connection, body)
                    with lock:
                        answers[status] = answers.get(status, 0) + 1
                    break
                except (OSError, httpclient.HTTPException):
                    connection.close()
                    connection = httpclient.HTTPConnection("127.0.0.1", port, timeout=30)

    queue.reverse()
    threads = [threading.Thread(target=sender, args=(i,), daemon=True) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent_at = time.time()
    faults.wait_for(lambda: faults.count("SELECT COUNT(*) FROM webhook_events WHERE status = 'PENDING' AND authorizer_id LIKE 'storm-%'") == 0,
                  600, "the storm's inbox to drain")
    drained_at = time.time()
    for process, _ in gateways:
        process.stop()
    rows = faults.psql("SELECT authorizer_id, email, status, COALESCE(first_name, '') FROM users WHERE authorizer_id LIKE 'storm-%'")
    actual = {}
    for line in rows.splitlines():
        user, email, status, first = line.split("|")
        actual[user] = (email, status, first)
    failed_events = faults.count("SELECT COUNT(*) FROM webhook_events WHERE status = 'FAILED' AND authorizer_id LIKE 'storm-%'")
    stored = faults.count("SELECT COUNT(*) FROM webhook_events WHERE authorizer_id LIKE 'storm-%'")
    distinct = len({body for _, body in events})
    wrong = [(user, expected[user], actual.get(user)) for user in expected if actual.get(user) != expected[user]]
    extra = [user for user in actual if user not in expected]
    result = {"events_sent": total, "distinct_events": distinct, "moved_out_of_order": moved, "duplicates": len(duplicates),
              "answers": answers, "stored_events": stored, "failed_events": failed_events, "users": len(expected),
              "rows_matching": len(expected) - len(wrong), "rows_wrong": len(wrong), "rows_extra": len(extra),
              "send_seconds": round(sent_at - started, 1), "applied_seconds": round(drained_at - started, 1)}
    log(f"  {total} deliveries ({distinct} distinct, {len(duplicates)} duplicated, {moved} moved out of order) to two instances: "
        f"answers {answers}; stored {stored}, failed {failed_events}; {len(expected) - len(wrong)}/{len(expected)} users match "
        f"the expected row, {len(extra)} extra; all applied {drained_at - started:.1f} s after the first send")
    check(not wrong, f"{len(wrong)} users differ from the expected state, e.g. {wrong[:3]}")
    # Authorizer's deliveries carry no id (issue 19): a repeated body is stored again unless it
    # repeats the user's newest delivery within seconds, so between the distinct and all.
    check(not extra and failed_events == 0 and distinct <= stored <= total,
          f"extra {extra[:3]}, failed {failed_events}, stored {stored} not within {distinct}..{total}")
    check(sum(n for s, n in answers.items() if 200 <= s < 300) == total, f"not every delivery was acknowledged: {answers}")
    return result
