"""Real processes on loopback for scripts/bench and scripts/faults: a throwaway PostgreSQL, the
local Authorizer and gateways, each started from the `platform` executable."""

import hashlib
import hmac
import json
import os
import random
import shutil
import signal
import socket
import string
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PG_BIN = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")
CLIENT_ID, CLIENT_SECRET, ADMIN_SECRET = "bench", "bench-client-secret-0123456789abcdef", "bench-admin-secret"
PASSWORD = "Str0ng!bench-pass"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(message):
    print(message, flush=True)


def _request(method, url, body, token, headers):
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    return request


def http(method, url, body=None, token=None, timeout=30, headers=None):
    with urllib.request.urlopen(_request(method, url, body, token, headers), timeout=timeout) as response:
        return json.loads(response.read() or b"{}")


def status_of(method, url, body=None, token=None, timeout=30, headers=None):
    """(status, parsed body or None, seconds) without raising on 4xx/5xx."""
    started = time.time()
    try:
        with urllib.request.urlopen(_request(method, url, body, token, headers), timeout=timeout) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None, time.time() - started
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        return error.code, parsed, time.time() - started
    except (urllib.error.URLError, OSError):
        return 0, None, time.time() - started


def wait_ready(url, seconds=60, process=None):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process is not None and not process.alive():
            process.log.flush()
            tail = open(process.log_path).read()[-2000:]
            raise SystemExit(f"{' '.join(process.args[:2])} exited before it was ready at {url}:\n{tail}")
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return time.time()
        except Exception:
            time.sleep(0.02)
    raise SystemExit(f"not ready: {url}")


def cuid():
    return "c" + "".join(random.choices(string.digits + string.ascii_lowercase, k=25))


def sign(body):
    """Authorizer's X-Authorizer-Signature of a webhook body: hex HMAC-SHA256 with the client secret."""
    return hmac.new(CLIENT_SECRET.encode(), body.encode(), hashlib.sha256).hexdigest()


class Process:
    """A process of ours, with its CPU time and RSS read from /proc."""

    def __init__(self, args, log_path, cwd=None):
        self.args, self.log_path, self.cwd = args, log_path, cwd
        self.log = open(log_path, "a")
        self.popen = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, cwd=cwd)

    def _status(self, field):
        for line in open(f"/proc/{self.popen.pid}/status"):
            if line.startswith(field):
                return int(line.split()[1]) / 1024
        return 0.0

    def cpu_seconds(self):
        fields = open(f"/proc/{self.popen.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def rss_mb(self):
        return self._status("VmRSS:")

    def peak_rss_mb(self):
        return self._status("VmHWM:")

    def alive(self):
        return self.popen.poll() is None

    def kill(self):
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait()

    def stop(self, seconds=30):
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(seconds)
            except subprocess.TimeoutExpired:
                self.popen.kill()
        self.log.close()


class Cluster:
    """A work folder with PostgreSQL, the local Authorizer (RS256) and gateways in it."""

    def __init__(self, prefix, keep=False):
        self.work = tempfile.mkdtemp(prefix=prefix)
        os.chmod(self.work, 0o755)
        self.keep = keep
        self.processes = []
        self.platform = None
        self.pg = None
        self.replica = None

    def build(self, release=True):
        if os.environ.get("PLATFORM_BINARY"):
            # Another build of `platform` (to compare two commits): used as it is, not rebuilt.
            self.platform = os.path.abspath(os.environ["PLATFORM_BINARY"])
            log(f"using {self.platform}")
            return
        # Release builds link the Swift runtime statically: as a production image would, and so
        # that valgrind (3.19) can run them (it crashes in the shared runtime's start).
        configuration = ["-c", "release", "--static-swift-stdlib"] if release else []
        log(f"building platform ({'release' if release else 'debug'})…")
        subprocess.run(["swift", "build", *configuration, "--product", "platform"], cwd=ROOT, check=True)
        bin_path = subprocess.run(["swift", "build", *configuration, "--show-bin-path"], cwd=ROOT, check=True,
                                  capture_output=True, text=True).stdout.strip()
        self.platform = os.path.join(bin_path, "platform")

    def start_postgres(self):
        run = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        if os.getuid() == 0:
            subprocess.run("id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres",
                           shell=True, check=True)
        directory = os.path.join(self.work, "pg")
        os.makedirs(directory)
        if os.getuid() == 0:
            shutil.chown(directory, "postgres")
        port = free_port()
        subprocess.run(run + [f"{PG_BIN}/initdb", "-D", f"{directory}/data", "-U", "bench", "--auth=trust", "-E", "UTF8", "--no-instructions"],
                       check=True, stdout=subprocess.DEVNULL)
        self.pg = (run, directory, port)
        self.pg_start()
        subprocess.run(["psql", f"postgres://bench@127.0.0.1:{port}/postgres", "-qc", "CREATE DATABASE platform"], check=True)
        return f"postgres://bench@127.0.0.1:{port}/platform?sslmode=disable"

    def start_pgbouncer(self, pool_size=20):
        """PgBouncer (Debian's 1.18) in transaction mode in front of this cluster's PostgreSQL; returns
        the platform database's URL through it. As root it runs as the postgres user (it refuses root)."""
        run, directory, pg_port = self.pg
        folder = os.path.join(self.work, "pgbouncer")
        os.makedirs(folder)
        port = free_port()
        with open(os.path.join(folder, "userlist.txt"), "w") as handle:
            handle.write('"bench" ""\n')
        with open(os.path.join(folder, "pgbouncer.ini"), "w") as handle:
            handle.write(f"""[databases]
platform = host=127.0.0.1 port={pg_port} dbname=platform

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder}/userlist.txt
pool_mode = transaction
default_pool_size = {pool_size}
max_client_conn = 1000
server_reset_query =
""")
        user = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"] if os.getuid() == 0 else []
        if os.getuid() == 0:
            shutil.chown(folder, "postgres")
        process = Process(user + ["pgbouncer", os.path.join(folder, "pgbouncer.ini")], os.path.join(self.work, "pgbouncer.log"))
        self.processes.append(process)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        return f"postgres://bench@127.0.0.1:{port}/platform?sslmode=disable"

    def start_replica(self):
        """A streaming replica of this cluster's PostgreSQL (pg_basebackup -R, a hot standby on its
        own port); returns the platform database's URL on it."""
        run, directory, pg_port = self.pg
        replica = os.path.join(directory, "replica")
        port = free_port()
        subprocess.run(run + [f"{PG_BIN}/pg_basebackup", "-h", "127.0.0.1", "-p", str(pg_port), "-U", "bench", "-D", replica,
                              "-R", "-X", "stream", "-c", "fast", "-C", "-S", "platform_replica"], check=True,
                             stdout=subprocess.DEVNULL)
        self.replica = (run, replica, port)
        self.replica_start()
        return f"postgres://bench@127.0.0.1:{port}/platform?sslmode=disable"

    def replica_start(self):
        run, replica, port = self.replica
        subprocess.run(run + [f"{PG_BIN}/pg_ctl", "-D", replica, "-l", f"{replica}.log", "-w", "start", "-o",
                              f"-p {port} -k {os.path.dirname(replica)} -c listen_addresses=127.0.0.1 -c max_connections=200 "
                              "-c hot_standby_feedback=on"],
                       check=True, stdout=subprocess.DEVNULL)

    def replica_stop(self, mode="fast"):
        run, replica, _ = self.replica
        subprocess.run(run + [f"{PG_BIN}/pg_ctl", "-D", replica, "-m", mode, "-w", "stop"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

    def pg_start(self):
        run, directory, port = self.pg
        subprocess.run(run + [f"{PG_BIN}/pg_ctl", "-D", f"{directory}/data", "-l", f"{directory}/server.log", "-w", "start", "-o",
                              f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB"],
                       check=True, stdout=subprocess.DEVNULL)

    def pg_stop(self, mode="fast"):
        run, directory, _ = self.pg
        subprocess.run(run + [f"{PG_BIN}/pg_ctl", "-D", f"{directory}/data", "-m", mode, "-w", "stop"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

    def postgres_cpu_seconds(self):
        """CPU seconds PostgreSQL has used: the postmaster with the backends it reaped, and the live ones."""
        _, directory, _ = self.pg
        postmaster = int(open(f"{directory}/data/postmaster.pid").readline())

        def stat(pid):
            return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()

        fields = stat(postmaster)
        total = sum(int(fields[index]) for index in (11, 12, 13, 14))
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    fields = stat(entry)
                except OSError:
                    continue
                if int(fields[1]) == postmaster:
                    total += int(fields[11]) + int(fields[12])
        return total / CLOCK_TICKS

    def psql(self, sql):
        return subprocess.run(["psql", f"postgres://bench@127.0.0.1:{self.pg[2]}/platform", "-qAtc", sql],
                              check=True, capture_output=True, text=True).stdout

    def start(self, name, args, ready_url, cwd=None, binary=None, wrapper=(), ready_seconds=60):
        """`platform <args>` (or `binary`), run under `wrapper` (e.g. valgrind) when given."""
        process = Process([*wrapper, binary or self.platform] + args, os.path.join(self.work, f"{name}.log"), cwd=cwd)
        self.processes.append(process)
        started = time.time()
        ready_at = wait_ready(ready_url, seconds=ready_seconds, process=process)
        return process, ready_at - started

    def start_authorizer(self, port=None, extra=()):
        self.authorizer_port = port or free_port()
        self.authorizer_url = f"http://127.0.0.1:{self.authorizer_port}"
        self.authorizer_db = os.path.join(self.work, "authorizer.sqlite")
        self.authorizer, _ = self.start("authorizer", [
            "authorizer", "--http-port", str(self.authorizer_port), "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET,
            "--admin-secret", ADMIN_SECRET, "--jwt-type", "RS256", "--database-url", f"sqlite://{self.authorizer_db}",
            "--data-folder", os.path.join(self.work, "authorizer-keys"), "--log-level", "warning",
            # Authorizer 2.4 refuses webhooks to loopback unless started with --env e2e.
            "--env", "e2e", "--disable-mfa", *extra,
        ], self.authorizer_url + "/healthz")
        return self.authorizer

    def start_gateway(self, name, database_url, mode, port=None, extra=(), binary=None, wrapper=(), ready_seconds=60):
        port = port or free_port()
        process, _ = self.start(name, [
            "serve", "--database-url", database_url, "--port", str(port), "--authorizer-url", self.authorizer_url,
            "--authorizer-client-id", CLIENT_ID, "--authorizer-admin-secret", ADMIN_SECRET,
            "--webhook-authorizer-secret", CLIENT_SECRET, "--guard-mode", mode, "--reconcile-interval", "0",
            "--auth-rate-limit-per-ip", "0", "--auth-rate-limit-per-email", "0",
            # A flag given twice is refused, so the default log level only when `extra` has none.
            *([] if "--log-level" in extra else ["--log-level", "warning"]), *extra,
        ], f"http://127.0.0.1:{port}/healthz", binary=binary, wrapper=wrapper, ready_seconds=ready_seconds)
        process.port = port
        return process, f"http://127.0.0.1:{port}"

    def stop(self):
        for process in self.processes:
            process.stop()
        if self.replica:
            self.replica_stop("immediate")
        if self.pg:
            self.pg_stop("immediate")
        if not self.keep:
            shutil.rmtree(self.work, ignore_errors=True)
