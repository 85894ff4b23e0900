"""The fault suite's shared part (scripts/faults, one module per scenario in scripts/fault_scenarios):
the cluster every scenario runs on (`Faults`), a load generator (`Load`) and the checks."""

import http.client as httpclient
import random
import subprocess
import threading
import time
import urllib.parse
import urllib.request

from cluster import ADMIN_SECRET, CLIENT_ID, PASSWORD, Cluster, http, log, sign


class Failed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failed(message)


def deliver(connection, body):
    """POSTs `body` as Authorizer's signed webhook on `connection`; answers the status. Raises
    OSError or HTTPException when the connection fails (the caller opens a new one)."""
    connection.request("POST", "/webhooks/authorizer", body=body,
                       headers={"Content-Type": "application/json", "X-Authorizer-Signature": sign(body)})
    response = connection.getresponse()
    response.read()
    return response.status


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


class Load:
    """Threads sending one request each in a loop over keep-alive connections; every answer is kept
    as (start time, seconds, status). `rate` (requests/s over all threads) paces them."""

    def __init__(self, base, path, token=None, threads=4, rate=None, method="GET", fresh_connections=False):
        self.url = urllib.parse.urlparse(base)
        self.fresh = fresh_connections
        self.path, self.token, self.method = path, token, method
        self.threads, self.rate = threads, rate
        self.samples = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.workers = []

    def _connection(self):
        return httpclient.HTTPConnection(self.url.hostname, self.url.port, timeout=10)

    def _run(self, index):
        connection = self._connection()
        headers = {"Authorization": "Bearer " + self.token} if self.token else {}
        interval = self.threads / self.rate if self.rate else 0
        next_at = time.monotonic() + random.random() * interval
        local = []
        while not self.stopping.is_set():
            if interval:
                delay = next_at - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                next_at += interval
            started = time.monotonic()
            try:
                connection.request(self.method, self.path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
                if self.fresh or response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = self._connection()
            except (OSError, httpclient.HTTPException):
                status = 0
                connection.close()
                connection = self._connection()
            local.append((started, time.monotonic() - started, status))
            if len(local) >= 200:
                with self.lock:
                    self.samples.extend(local)
                local = []
        with self.lock:
            self.samples.extend(local)

    def start(self):
        for index in range(self.threads):
            worker = threading.Thread(target=self._run, args=(index,), daemon=True)
            worker.start()
            self.workers.append(worker)
        return self

    def stop(self):
        self.stopping.set()
        for worker in self.workers:
            worker.join()
        return self

    def between(self, start, end):
        return [s for s in self.samples if start <= s[0] < end]

    @staticmethod
    def summary(samples):
        ok = sum(1 for s in samples if 200 <= s[2] < 300)
        statuses = {}
        for s in samples:
            statuses[s[2]] = statuses.get(s[2], 0) + 1
        latencies = [s[1] for s in samples]
        return {"requests": len(samples), "ok": ok, "success_rate": round(ok / len(samples), 5) if samples else 0.0,
                "statuses": statuses, "p50_ms": round(percentile(latencies, 0.5) * 1000, 2),
                "p99_ms": round(percentile(latencies, 0.99) * 1000, 2), "max_ms": round(max(latencies, default=0) * 1000, 1)}


class Faults(Cluster):
    """The cluster the scenarios share: one PostgreSQL, one Authorizer (restarted by some
    scenarios, with `authorizer_extra` after the key rotation), gateways each scenario starts."""

    def __init__(self, options):
        super().__init__("platform-faults-", keep=options.keep)
        self.options = options
        self.counter = 0
        self.authorizer_extra = []
        self.results = {}

    # Helpers

    def new_admin(self, base, label):
        """A new user with a new tenant, signed up through the gateway; answers (token, email)."""
        self.counter += 1
        email = f"{label}-{self.counter}@faults.test"
        answer = http("POST", base + "/auth/signup", {"email": email, "password": PASSWORD, "confirmPassword": PASSWORD,
                                                     "clientName": f"{label} {self.counter}"})
        http("POST", base + "/workflows", {"name": "Seeded", "definition": {"trigger": {"type": "manual"}, "steps": [{"type": "notify"}]}},
             token=answer["accessToken"])
        return answer["accessToken"], email

    def authorizer_signup(self, url, email):
        """A signup straight at an Authorizer (GraphQL, 2.x CSRF rule: an Origin of its own host)."""
        query = 'mutation($p: SignUpRequest!) { signup(params: $p) { message user { id } } }'
        answer = http("POST", url + "/graphql", {"query": query, "variables": {"p": {
            "email": email, "password": PASSWORD, "confirm_password": PASSWORD}}},
            headers={"Origin": url, "x-authorizer-client-id": CLIENT_ID})
        check(not answer.get("errors"), f"signup at Authorizer failed: {answer}")
        return answer["data"]["signup"]["user"]["id"]

    def count(self, sql):
        return int(self.psql(sql).strip() or 0)

    def wait_for(self, condition, seconds, what):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if condition():
                return time.time()
            time.sleep(0.05)
        raise Failed(f"timed out after {seconds} s waiting for {what}")

    def reconcile(self, database_url):
        output = subprocess.run([self.platform, "reconcile", "--database-url", database_url, "--authorizer-url", self.authorizer_url,
                                 "--authorizer-client-id", CLIENT_ID, "--authorizer-admin-secret", ADMIN_SECRET, "--log-level", "warning"],
                                capture_output=True, text=True, check=True).stdout.strip()
        return output.splitlines()[-1] if output else ""

    def metric(self, base, name, **labels):
        """The sum of a Prometheus metric's series at /metrics that carry `labels` (0 when absent)."""
        total = 0.0
        with urllib.request.urlopen(base + "/metrics", timeout=10) as response:
            for line in response.read().decode().splitlines():
                if line.startswith(name + "{") and all(f'{key}="{value}"' in line for key, value in labels.items()):
                    total += float(line.split()[-1])
        return total

    # Run

    def run(self, names, scenarios):
        """Builds `platform`, starts PostgreSQL (migrated) and Authorizer, then runs each named
        scenario of `scenarios` (name -> function(faults, database_url) answering its figures) in
        turn on them; answers the failures, one line each. The figures are in `self.results`."""
        self.build(release=self.options.release)
        database_url = self.start_postgres()
        subprocess.run([self.platform, "migrate", "--database-url", database_url, "--log-level", "warning"], check=True,
                       stdout=subprocess.DEVNULL)
        self.start_authorizer()
        failures = []
        for name in names:
            log(f"- {name}")
            started = time.time()
            try:
                self.results[name] = scenarios[name](self, database_url)
                self.results[name]["seconds"] = round(time.time() - started, 1)
                log(f"  passed ({time.time() - started:.0f} s)")
            except Failed as failure:
                failures.append(f"{name}: {failure}")
                self.results[name] = {"failed": str(failure)}
                log(f"  FAILED: {failure}")
        return failures
