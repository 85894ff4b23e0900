"""Scenario M (issue 22): a realistic mix on cold caches, side by side with B and B0.

- 10,000 users over 500 tenants (--short: 1,000 over 50), each with a token of its own, signed by
  the local Authorizer's key and drawn at random, so that most user contexts and verified tokens
  are cold; 60 workflows and 20 reports a tenant;
- 90% reads: the first three workflow pages, filtered pages (status, search), report pages and
  single reports; 10% writes: workflows created and renamed, reports created and retitled, each
  dropping its tenant's cached pages;
- webhooks (signed user.login events of new users) at 200 events/s at the same time.

It runs once at full speed (the peak), then at 70% of that peak, paced by wrk's `delay()`.
Reported: throughput, p50/p99/p99.9, the page cache's hit ratio (from /metrics), and the gateway's
and PostgreSQL's CPU per request.
"""

import base64
import http.client
import json
import os
import random
import subprocess
import threading
import time
from datetime import datetime, timezone

from cluster import cuid, log, sign

LUA = r"""
local tokens, requests, index, pause = {}, {}, 0, 0
local counter = 0
function setup(thread) counter = counter + 1; thread:set("thread_id", counter) end
function init(args)
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  for line in io.lines(args[2]) do requests[#requests + 1] = line end
  pause = tonumber(args[3])
  index = math.floor(#requests * (thread_id - 1) / tonumber(args[4]))
end
function request()
  index = index % #requests + 1
  local method, path, token, body = requests[index]:match("^(%S+)\t(%S+)\t(%d+)\t?(.*)$")
  local headers = { ["Authorization"] = "Bearer " .. tokens[tonumber(token)] }
  if body == "" then body = nil else headers["Content-Type"] = "application/json" end
  return wrk.format(method, path, headers, body)
end
-- Each connection waits a random share around its pause, so that 64 of them do not fire together.
function delay() if pause == 0 then return 0 end return math.random(math.floor(pause / 2), math.floor(pause * 3 / 2)) end
function done(summary, latency, requests)
  io.write(string.format('WRKJSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"p999_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency:percentile(99.9), summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
end
"""


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def cryptography():
    try:
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding
    except ImportError:
        subprocess.run(["python3", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "cryptography==48.0.0"],
                       check=True)
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding
    return hashes, serialization, padding


class Mixed:
    def __init__(self, bench, short):
        self.bench = bench
        self.short = short
        self.tenants, self.users, self.workflows, self.reports = (50, 20, 60, 20) if short else (500, 20, 60, 20)
        self.lock = threading.Lock()

    def tokens(self, template, subjects):
        """Access tokens for `subjects`, signed with the local Authorizer's RS256 key: the claims of
        a token it issued (`template`), with the subject, email and times replaced."""
        hashes, serialization, padding = cryptography()
        pem = open(os.path.join(self.bench.work, "authorizer-keys", "jwt-rs256.pem"), "rb").read()
        key = serialization.load_pem_private_key(pem, password=None)
        header_text, payload_text, _ = template.split(".")
        header = json.loads(base64.urlsafe_b64decode(header_text + "=" * (-len(header_text) % 4)))
        claims = json.loads(base64.urlsafe_b64decode(payload_text + "=" * (-len(payload_text) % 4)))
        now = int(time.time())
        head = b64url(json.dumps(header, separators=(",", ":")).encode())
        tokens = []
        for subject, email in subjects:
            claims.update({"sub": subject, "email": email, "iat": now, "exp": now + 3600})
            signing_input = head + "." + b64url(json.dumps(claims, separators=(",", ":")).encode())
            signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
            tokens.append(signing_input + "." + b64url(signature))
        return tokens

    def seed(self):
        bench = self.bench
        log(f"M: seeding {self.tenants} tenants x {self.users} users, {self.workflows} workflows and {self.reports} reports each…")
        now = int(time.time()) - 100_000
        stamp = lambda seconds: datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        clients, users, workflows, reports = [], [], [], []
        self.tenant_users, self.tenant_admins, self.tenant_workflows, self.tenant_reports, self.cursors = [], [], [], [], []
        subjects = []
        definition = json.dumps({"trigger": {"type": "schedule"}, "steps": [{"type": "http"}, {"type": "notify"}]})
        for tenant in range(self.tenants):
            client_id = cuid()
            clients.append((client_id, f"Mixed {tenant}", f"mixed-{tenant}-{client_id[-6:]}", "ACTIVE", stamp(now), stamp(now)))
            members, admins = [], []
            for number in range(self.users):
                user_id, subject = cuid(), f"m-{tenant}-{number}"
                role = "ADMIN" if number < 2 else "USER"
                users.append((user_id, subject, f"{subject}@mixed.bench", role, "ACTIVE", client_id, stamp(now), stamp(now)))
                (admins if role == "ADMIN" else members).append(len(subjects))
                subjects.append((subject, f"{subject}@mixed.bench"))
            ids = []
            for number in range(self.workflows):
                workflow_id = cuid()
                ids.append(workflow_id)
                status = "ACTIVE" if number % 3 else "DRAFT"
                workflows.append((workflow_id, client_id, f"Workflow {number}", status, definition, users[-self.users][0],
                                  stamp(now - number), stamp(now - number)))
            # The cursors of pages 2 and 3 (20 a page, newest first): after items 20 and 40.
            self.cursors.append([b64url(f"{float(now - index)}|{ids[index]}".encode()) for index in (19, 39)])
            report_ids = []
            for number in range(self.reports):
                report_id = cuid()
                report_ids.append(report_id)
                reports.append((report_id, client_id, f"Report {number}", "PENDING", "{}", users[-self.users][0], stamp(now - number),
                                stamp(now - number)))
            self.tenant_users.append(members + admins)
            self.tenant_admins.append(admins)
            self.tenant_workflows.append(ids)
            self.tenant_reports.append(report_ids)
        lines = ["COPY clients (id, name, slug, status, created_at, updated_at) FROM STDIN;"]
        lines += ["\t".join(row) for row in clients] + ["\\."]
        lines += ["COPY users (id, authorizer_id, email, role, status, client_id, created_at, updated_at) FROM STDIN;"]
        lines += ["\t".join(row) for row in users] + ["\\."]
        lines += ["COPY workflows (id, client_id, name, status, definition, created_by, created_at, updated_at) FROM STDIN;"]
        lines += ["\t".join(row) for row in workflows] + ["\\."]
        lines += ["COPY reports (id, client_id, title, status, parameters, created_by, created_at, updated_at) FROM STDIN;"]
        lines += ["\t".join(row) for row in reports] + ["\\.", "ANALYZE;"]
        subprocess.run(["psql", f"postgres://bench@127.0.0.1:{bench.pg[2]}/platform", "-q", "-v", "ON_ERROR_STOP=1"],
                       input="\n".join(lines) + "\n", text=True, check=True)
        started = time.time()
        self.token_list = self.tokens(bench.tokens[0], subjects)
        log(f"  M: {len(clients)} tenants, {len(users)} users, {len(workflows)} workflows, {len(reports)} reports; "
            f"{len(self.token_list)} tokens signed in {time.time() - started:.1f} s")

    def requests(self, count):
        """`count` requests of the mix: method, path, token index (1-based, for Lua) and body."""
        rng = random.Random(22)
        kinds = [("page1", 35), ("page2", 15), ("page3", 10), ("status", 5), ("search", 5), ("reports", 15), ("report", 5),
                 ("create-workflow", 3), ("rename-workflow", 3), ("create-report", 2), ("retitle-report", 2)]
        names, weights = zip(*kinds)
        lines = []
        for number in range(count):
            tenant = rng.randrange(self.tenants)
            kind = rng.choices(names, weights)[0]
            writer = kind in ("create-workflow", "rename-workflow", "retitle-report")
            token = rng.choice(self.tenant_admins[tenant] if writer else self.tenant_users[tenant]) + 1
            body = ""
            if kind == "page1":
                method, path = "GET", "/workflows?limit=20"
            elif kind in ("page2", "page3"):
                method, path = "GET", f"/workflows?limit=20&cursor={self.cursors[tenant][int(kind[-1]) - 2]}"
            elif kind == "status":
                method, path = "GET", "/workflows?limit=20&status=ACTIVE"
            elif kind == "search":
                method, path = "GET", f"/workflows?limit=20&search=Workflow%20{rng.randrange(6)}"
            elif kind == "reports":
                method, path = "GET", "/reports?limit=20"
            elif kind == "report":
                method, path = "GET", f"/reports/{rng.choice(self.tenant_reports[tenant])}"
            elif kind == "create-workflow":
                method, path = "POST", "/workflows"
                body = json.dumps({"name": f"New {number}", "definition": {"trigger": {"type": "schedule"}, "steps": [{"type": "http"}]}})
            elif kind == "rename-workflow":
                method, path = "PATCH", f"/workflows/{rng.choice(self.tenant_workflows[tenant])}"
                body = json.dumps({"name": f"Renamed {number}"})
            elif kind == "create-report":
                method, path = "POST", "/reports"
                body = json.dumps({"title": f"Report {number}", "parameters": {"range": "30d"}})
            else:
                method, path = "PATCH", f"/reports/{rng.choice(self.tenant_reports[tenant])}"
                body = json.dumps({"title": f"Retitled {number}"})
            lines.append(f"{method}\t{path}\t{token}\t{body}")
        return lines

    def metric(self, base, name, labels):
        connection = http.client.HTTPConnection("127.0.0.1", int(base.rsplit(":", 1)[1]), timeout=10)
        connection.request("GET", "/metrics")
        text = connection.getresponse().read().decode()
        connection.close()
        total = 0.0
        for line in text.splitlines():
            if line.startswith(name + "{") and labels in line:
                total += float(line.rsplit(" ", 1)[1])
        return total

    def webhooks(self, base, stop, sent, sender):
        """Signed user.login events of new users at 12.5 a second until `stop` is set (one of 16)."""
        port = int(base.rsplit(":", 1)[1])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        started, number = time.time(), 0
        while not stop.is_set():
            body = json.dumps({"event_name": "user.login", "user": {
                "id": f"m-hook-{self.label}-{sender}-{number}", "email": f"mhook{sender}-{number}@{self.label}.bench", "email_verified": True,
                "updated_at": 1000 + number}}, separators=(",", ":"))
            try:
                connection.request("POST", "/webhooks/authorizer", body=body, headers={
                    "Content-Type": "application/json", "X-Authorizer-Signature": sign(body)})
                response = connection.getresponse()
                response.read()
                with self.lock:
                    sent["ok" if response.status < 300 else "failed"] += 1
            except (OSError, http.client.HTTPException):
                with self.lock:
                    sent["failed"] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            number += 1
            pause = started + number / 12.5 - time.time()
            if pause > 0:
                time.sleep(pause)
        connection.close()

    def run(self, database_url):
        bench = self.bench
        self.seed()
        work = bench.work
        with open(os.path.join(work, "m-tokens.txt"), "w") as handle:
            handle.write("\n".join(self.token_list) + "\n")
        with open(os.path.join(work, "m-requests.txt"), "w") as handle:
            handle.write("\n".join(self.requests(50_000 if self.short else 400_000)) + "\n")
        with open(os.path.join(work, "m.lua"), "w") as handle:
            handle.write(LUA)
        process, base = bench.start_gateway("gateway-mixed", database_url, "local")
        # An unmeasured warm-up at full speed: the start-up (the first connections, the first
        # signatures checked) is not the steady state, in which the caches still go cold by
        # expiry, by the writes of the mix, and by the 10,000 users' turns.
        self.window("M warm-up", process, base, 0, record=False)
        peak = self.window("M mixed, peak", process, base, 0)
        # 70% of the peak, paced: each of the 64 connections waits 64 / target s on average between
        # its requests (its answers take a little more, so the rate comes out a little under).
        target = 0.7 * peak["rps"]
        pause = max(int(64 / target * 1000), 1)
        self.window("M mixed, 70% of peak", process, base, pause, target=round(target, 1))
        process.stop()

    def window(self, name, process, base, pause, target=None, record=True):
        bench = self.bench
        self.label = "".join(character for character in name.lower() if character.isalnum())
        duration = (5 if self.short else 20) if record else (2 if self.short else 5)
        hits, misses = self.metric(base, "page_cache_total", 'result="hit"'), self.metric(base, "page_cache_total", 'result="miss"')
        stop, sent = threading.Event(), {"ok": 0, "failed": 0}
        # 16 senders at 12.5 events/s each: one alone waits for each answer and falls behind.
        hooks = [threading.Thread(target=self.webhooks, args=(base, stop, sent, index)) for index in range(16)]
        for thread in hooks:
            thread.start()
        cpu_before, db_before = process.cpu_seconds(), bench.postgres_cpu_seconds()
        profiler = bench.profile(name, process)
        output = subprocess.run(
            ["wrk", "-t", "2", "-c", "64", "-d", f"{duration}s", "--timeout", "10s", "-s", os.path.join(bench.work, "m.lua"), base, "--",
             os.path.join(bench.work, "m-tokens.txt"), os.path.join(bench.work, "m-requests.txt"), str(pause), "2"],
            capture_output=True, text=True, check=True).stdout
        bench.end_profile(profiler)
        stop.set()
        for thread in hooks:
            thread.join()
        cpu, db_cpu = process.cpu_seconds() - cpu_before, bench.postgres_cpu_seconds() - db_before
        data = json.loads(output.split("WRKJSON ", 1)[1].splitlines()[0])
        hits = self.metric(base, "page_cache_total", 'result="hit"') - hits
        misses = self.metric(base, "page_cache_total", 'result="miss"') - misses
        errors = data["connect"] + data["read"] + data["write"] + data["status"] + data["timeout"] + sent["failed"]
        seconds = data["duration_us"] / 1e6
        result = {
            "scenario": name, "requests": data["requests"], "rps": round(data["requests"] / seconds, 1),
            "p50_ms": round(data["p50_us"] / 1000, 2), "p99_ms": round(data["p99_us"] / 1000, 2),
            "p999_ms": round(data["p999_us"] / 1000, 2), "errors": errors, "peak_rss_mb": round(process.peak_rss_mb(), 1),
            "cpu_s_per_1k": round(cpu / max(data["requests"], 1) * 1000, 4),
            "db_cpu_s_per_1k": round(db_cpu / max(data["requests"], 1) * 1000, 4),
            "page_cache_hit_ratio": round(hits / max(hits + misses, 1), 3), "webhooks": sent["ok"] + sent["failed"],
            "webhooks_failed": sent["failed"],
        }
        if target:
            result["target_rps"] = target
        log(f"  {name}: {result['rps']} req/s{f' (target {target})' if target else ''}, p50 {result['p50_ms']} ms, "
            f"p99 {result['p99_ms']} ms, p99.9 {result['p999_ms']} ms, errors {errors}, page cache hits {result['page_cache_hit_ratio']}, "
            f"webhooks {result['webhooks']} ({sent['failed']} failed), peak RSS {result['peak_rss_mb']} MB, "
            f"{result['cpu_s_per_1k']} CPU s/1k, PostgreSQL {result['db_cpu_s_per_1k']} CPU s/1k")
        if record:
            bench.results.append(result)
        return result
