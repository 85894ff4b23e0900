"""9. Three gateways behind HAProxy (Debian's 2.6), which checks /readyz (issue 23). Under steady
load: a rolling restart (each instance in turn gets SIGTERM, drains, and starts again) fails no
request; a SIGKILL of one instance fails at most the requests in flight on it, and HAProxy retries
a GET whose connection failed or went unanswered on another instance; webhooks sent round the three
are each applied once, in each user's order."""

import http.client as httpclient
import json
import os
import shutil
import subprocess
import threading
import time
import urllib.request

from cluster import Process, free_port, log
from faults import Load, check, deliver

# Checks every 500 ms, out after 2 failures: an instance that starts draining is out within about
# 1 s, under the 2 s it keeps serving while /readyz says 503 (--drain-period 2).
CONFIG = """global
    maxconn 4000

defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    timeout http-keep-alive 10s
    # As deploy/haproxy.cfg: a request whose connection failed goes again, to another instance; a
    # GET that got no answer too (HAProxy 2.6 would replay any method, so the others are held back).
    retries 2
    option redispatch 1
    retry-on conn-failure empty-response response-timeout

frontend gateways
    bind 127.0.0.1:{port}
    default_backend gateways

backend gateways
    balance roundrobin
    http-request disable-l7-retry unless METH_GET || METH_OPTIONS
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 500ms fall 2 rise 2
{servers}
"""


def up_servers(stats_port):
    """The servers HAProxy has up, from its stats CSV (none while it is not listening yet)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{stats_port}/stats;csv", timeout=5) as response:
            lines = response.read().decode().splitlines()
    except OSError:
        return set()
    header = lines[0].lstrip("# ").split(",")
    rows = [dict(zip(header, line.split(","))) for line in lines[1:] if line]
    return {row["svname"] for row in rows if row["pxname"] == "gateways" and row["svname"] not in ("FRONTEND", "BACKEND")
            and row["status"] == "UP"}


def run(faults, database_url):
    if shutil.which("haproxy") is None:
        check(False, "HAProxy is not installed (apt-get install -y haproxy)")
    drain = ["--drain-period", "2"]
    ports = [free_port() for _ in range(3)]
    gateways = [faults.start_gateway(f"gateway-lb-{n}", database_url, "local", port=port, extra=drain)[0]
                for n, port in enumerate(ports)]
    port, stats_port = free_port(), free_port()
    servers = "\n".join(f"    server g{n} 127.0.0.1:{p} check" for n, p in enumerate(ports))
    config = CONFIG.format(port=port, servers=servers) + f"""
frontend stats
    bind 127.0.0.1:{stats_port}
    stats enable
    stats uri /stats
"""
    path = os.path.join(faults.work, "haproxy.cfg")
    with open(path, "w") as handle:
        handle.write(config)
    subprocess.run(["haproxy", "-c", "-f", path], check=True, stdout=subprocess.DEVNULL)
    balancer = Process(["haproxy", "-db", "-f", path], os.path.join(faults.work, "haproxy.log"))
    faults.processes.append(balancer)
    base = f"http://127.0.0.1:{port}"
    faults.wait_for(lambda: len(up_servers(stats_port)) == 3, 30, "HAProxy to see three instances up")
    token, _ = faults.new_admin(base, "balancer")
    result = {}

    # Rolling restart: each instance in turn drains and starts again on its port.
    load = Load(base, "/workflows?limit=20", token, threads=8).start()
    time.sleep(2)
    for n, gateway in enumerate(gateways):
        gateway.stop()
        gateways[n] = faults.start_gateway(f"gateway-lb-{n}-restarted", database_url, "local", port=ports[n], extra=drain)[0]
        faults.wait_for(lambda: f"g{n}" in up_servers(stats_port), 30, f"HAProxy to see g{n} up again")
        time.sleep(1)
    time.sleep(2)
    load.stop()
    rolling = Load.summary(load.samples)
    result["rolling_restart"] = rolling
    log(f"  rolling restart of 3 instances under load: {rolling['requests']} requests, {rolling['requests'] - rolling['ok']} failed "
        f"({rolling['statuses']}), p99 {rolling['p99_ms']} ms")
    check(rolling["ok"] == rolling["requests"], f"requests failed during the rolling restart: {rolling['statuses']}")

    # Crash: SIGKILL one instance under load; only what was in flight on it may fail.
    threads = 8
    load = Load(base, "/workflows?limit=20", token, threads=threads).start()
    time.sleep(2)
    gateways[1].kill()
    faults.wait_for(lambda: "g1" not in up_servers(stats_port), 10, "HAProxy to take g1 out")
    time.sleep(2)
    load.stop()
    crash = Load.summary(load.samples)
    failed = crash["requests"] - crash["ok"]
    result["crash"] = dict(crash, failed=failed, bound=threads)
    log(f"  SIGKILL of one instance under load: {crash['requests']} requests, {failed} failed ({crash['statuses']}); "
        f"bound: the {threads} a client can have in flight")
    check(failed <= threads, f"{failed} requests failed after a SIGKILL, more than the {threads} in flight")
    gateways[1] = faults.start_gateway("gateway-lb-1-again", database_url, "local", port=ports[1], extra=drain)[0]
    faults.wait_for(lambda: len(up_servers(stats_port)) == 3, 30, "HAProxy to see three instances up again")

    # Webhooks round the three: each user's events one after another (signup, then logins that
    # rename), users in parallel; each event applied once, and each user ends at its last event.
    users, steps = 150, 3
    lock = threading.Lock()
    statuses = {}

    def sender(first):
        connection = httpclient.HTTPConnection("127.0.0.1", port, timeout=30)
        for number in range(first, users, 10):
            user = f"lb-{number}"
            for step in range(steps):
                body = json.dumps({"event_name": "user.signup" if step == 0 else "user.login",
                                   "user": {"id": user, "email": f"{user}@faults.test", "given_name": f"Name{step}",
                                            "email_verified": True, "updated_at": 1000 + step}}, separators=(",", ":"))
                for _ in range(3):
                    try:
                        status = deliver(connection, body)
                        with lock:
                            statuses[status] = statuses.get(status, 0) + 1
                        break
                    except (OSError, httpclient.HTTPException):
                        connection.close()
                        connection = httpclient.HTTPConnection("127.0.0.1", port, timeout=30)

    senders = [threading.Thread(target=sender, args=(i,), daemon=True) for i in range(10)]
    for thread in senders:
        thread.start()
    for thread in senders:
        thread.join()
    faults.wait_for(lambda: faults.count("SELECT COUNT(*) FROM webhook_events WHERE status = 'PENDING' AND authorizer_id LIKE 'lb-%'") == 0,
                    120, "the webhooks to be applied")
    spread = {}
    for gateway in gateways:
        spread[gateway.port] = faults.metric(f"http://127.0.0.1:{gateway.port}", "webhook_events_total", outcome="accepted")
    applied = faults.count("SELECT COUNT(*) FROM webhook_events WHERE status = 'APPLIED' AND authorizer_id LIKE 'lb-%'")
    rows = faults.psql("SELECT authorizer_id, COALESCE(first_name, '') FROM users WHERE authorizer_id LIKE 'lb-%'").splitlines()
    names = dict(line.split("|") for line in rows)
    wrong = [user for user in (f"lb-{n}" for n in range(users)) if names.get(user) != f"Name{steps - 1}"]
    result["webhooks"] = {"sent": users * steps, "answers": statuses, "applied": applied, "users": len(names), "out_of_order": len(wrong),
                          "per_instance": list(spread.values())}
    log(f"  webhooks round three instances: {users * steps} sent ({statuses}), {applied} applied, {len(names)} users, "
        f"{len(wrong)} not at their last event; per instance {list(spread.values())}")
    check(statuses == {202: users * steps}, f"webhook answers {statuses}: each event is new, so each is 202 (stored)")
    check(applied == users * steps, f"{applied} events applied, not {users * steps} once each")
    check(not wrong and len(names) == users, f"users not at their last event: {wrong[:5]}")
    for gateway in gateways:
        gateway.stop()
    balancer.stop()
    return result
