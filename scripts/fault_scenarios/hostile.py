"""7. Slow and hostile clients (slowloris, a 10,000-connection burst, oversized headers, huge webhook
bodies) do not starve others and never crash the gateway."""

import select
import socket
import threading
import time

from cluster import log, status_of
from faults import Load, check


def run(faults, database_url):
    gateway, base = faults.start_gateway("gateway-hostile", database_url, "local")
    token, _ = faults.new_admin(base, "hostile")
    port = gateway.port
    probe = Load(base, "/workflows?limit=20", token, threads=2).start()
    fresh = Load(base, "/healthz", threads=1, rate=20, fresh_connections=True).start()
    phases = {}

    def phase(name, action):
        rss_before = gateway.rss_mb()
        started = time.monotonic()
        detail = action()
        ended = time.monotonic()
        window = Load.summary(probe.between(started, ended) + fresh.between(started, ended))
        phases[name] = {"seconds": round(ended - started, 1), "others": window, "gateway_rss_mb": round(gateway.rss_mb(), 1),
                        "rss_growth_mb": round(gateway.rss_mb() - rss_before, 1), **detail}
        log(f"  {name}: {detail}; meanwhile others {window['ok']}/{window['requests']} ok, p99 {window['p99_ms']} ms; "
            f"gateway alive {gateway.alive()}, RSS {gateway.rss_mb():.0f} MB")

    def slowloris():
        sockets = []
        for _ in range(1000):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            sockets.append(sock)
        for round_number in range(4):
            time.sleep(2)
            for sock in sockets:
                try:
                    sock.sendall(f"X-Slow-{round_number}: a\r\n".encode())
                except OSError:
                    pass
        open_at_end = 0
        for sock in sockets:
            sock.setblocking(False)
            try:
                open_at_end += 1 if sock.recv(1) == b"" else 0
            except BlockingIOError:
                open_at_end += 1
            except OSError:
                pass
            sock.close()
        return {"connections": len(sockets), "held_seconds": 8, "still_open_at_end": open_at_end}

    def burst():
        sockets, connected = [], 0
        for _ in range(10_000):
            sock = socket.socket()
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", port))
            sockets.append(sock)
        deadline = time.monotonic() + 10
        poller = select.epoll()
        by_fd = {sock.fileno(): sock for sock in sockets}
        for fd in by_fd:
            poller.register(fd, select.EPOLLOUT)
        pending = len(by_fd)
        while pending and time.monotonic() < deadline:
            for fd, _ in poller.poll(0.2):
                poller.unregister(fd)
                pending -= 1
                if by_fd[fd].getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                    connected += 1
        poller.close()
        time.sleep(3)
        for sock in sockets:
            sock.close()
        return {"opened": len(sockets), "connected": connected}

    def oversized_headers():
        answers = {}
        for _ in range(20):
            try:
                sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 300_000 + b"\r\n\r\n")
                status = sock.recv(64).split(b" ")[1].decode()
            except (OSError, IndexError):
                status = "closed"
            answers[status] = answers.get(status, 0) + 1
            sock.close()
        return {"answers": answers}

    def huge_bodies():
        answers, lock = {}, threading.Lock()

        def send():
            started = time.monotonic()
            try:
                sock = socket.create_connection(("127.0.0.1", port), timeout=10)
                size = 50 * 1024 * 1024
                sock.sendall(f"POST /webhooks/authorizer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                             f"X-Authorizer-Signature: 00\r\nContent-Length: {size}\r\n\r\n".encode())
                chunk = b"a" * 65536
                status = None
                sent = 0
                sock.settimeout(0.0)
                while sent < size:
                    try:
                        reply = sock.recv(64)
                        if reply:
                            status = reply.split(b" ")[1].decode()
                            break
                    except BlockingIOError:
                        pass
                    sock.settimeout(5)
                    sent += sock.send(chunk)
                    sock.settimeout(0.0)
                if status is None:
                    sock.settimeout(10)
                    status = sock.recv(64).split(b" ")[1].decode()
            except (OSError, IndexError):
                status = "closed"
            with lock:
                answers[status] = answers.get(status, 0) + 1
                answers.setdefault("slowest_s", 0.0)
                answers["slowest_s"] = round(max(answers["slowest_s"], time.monotonic() - started), 2)

        threads = [threading.Thread(target=send) for _ in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return {"answers": answers}

    phase("slowloris (1,000 connections sending a header line every 2 s)", slowloris)
    phase("10,000-connection burst", burst)
    phase("oversized headers (300 KB)", oversized_headers)
    phase("huge webhook bodies (5 x 50 MB)", huge_bodies)
    probe.stop()
    fresh.stop()
    alive = gateway.alive()
    after = status_of("GET", base + "/workflows?limit=20", token=token)
    overall = Load.summary(probe.samples + fresh.samples)
    gateway.stop()
    log(f"  others overall: {overall['ok']}/{overall['requests']} ok ({overall['success_rate']:.3%}), p99 {overall['p99_ms']} ms, "
        f"max {overall['max_ms']} ms; gateway alive {alive}; a request after it all: {after[0]}")
    check(alive and after[0] == 200, "the gateway did not survive")
    check(overall["success_rate"] >= 0.999, f"others were starved: {overall['statuses']}")
    for name, figures in phases.items():
        check(figures["others"]["p99_ms"] < 1000, f"{name}: others' p99 {figures['others']['p99_ms']} ms")
    headers = phases["oversized headers (300 KB)"]["answers"]
    check(set(headers) <= {"431", "400", "closed"}, f"oversized headers answered {headers}")
    bodies = phases["huge webhook bodies (5 x 50 MB)"]["answers"]
    check(bodies.get("413", 0) + bodies.get("closed", 0) == 5, f"huge bodies answered {bodies}")
    check(phases["huge webhook bodies (5 x 50 MB)"]["rss_growth_mb"] < 100, "huge bodies grew the gateway's memory by 100 MB or more")
    return {"phases": phases, "others_overall": overall}
