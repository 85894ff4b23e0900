"""Instructions per B0 request under callgrind (issue 22): a count that does not depend on what
else the machine is doing, so that a regression shows deterministically.

The gateway runs with the page cache off under `valgrind --tool=callgrind --instr-atstart=no`.
After a warm-up (every token verified and every user context loaded once), instrumentation is
switched on for `count` sequential `GET /workflows?limit=20` requests over one keep-alive
connection, then off. The total is split into stages by function (see STAGES): a function's own
instructions, plus those of the runtime and libc functions it calls (allocation, reference
counting, generic metadata), go to its stage. What no staged function calls (the executor
running jobs, the kernel's wakeups as seen from user space) stays "scheduling and runtime".
Callgrind counts user-space instructions only: system calls are not in these figures.
"""

import http.client
import os
import re
import subprocess
import time

# A stage and the patterns of the functions that belong to it, tried in this order. Swift's
# mangled names carry their module's name with its length (`7Gateway`, `11PostgresNIO`).
STAGES = [
    ("JSON encode", [r"JSONWriter", r"PageDTO", r"WorkflowDTO", r"Pagination"]),
    ("token", [r"CCryptoBoringSSL", r"9Crypto", r"TokenVerifier", r"VerifiedToken", r"AuthGuard", r"RevocationList", r"Identity", r"JWTKit", r"13AuthorizerClient"]),
    ("user context", [r"UserContext", r"RefreshingCache", r"TenantContext", r"AuthenticationMiddleware", r"TenantScope", r"Permission"]),
    ("lease", [r"ConnectionPool", r"ConnectionLease", r"PostgresClient", r"leaseConnection", r"EventLoopTaskExecutor", r"[Ll]ease\(from"]),
    ("row decode", [r"11PostgresNIO.*(Row|Cell|Decod|DataRow|RowDescription)", r"WorkflowPages.*page", r"WorkflowRecord"]),
    ("query send", [r"11PostgresNIO", r"10PlatformDB", r"_PostgresNIO"]),
    ("HTTP and middleware", [r"NIOPosix", r"NIOCore", r"NIOHTTP1", r"NIOHTTPTypes", r"Hummingbird", r"9HTTPTypes", r"7Gateway",
                             r"Logging", r"Metrics", r"Prometheus", r"Tracing", r"ServiceContext"]),
]
RUNTIME = "scheduling and runtime"
# Functions that do work for their caller and return (allocation, reference counting,
# exclusivity checks, generic metadata, copies): their inclusive cost goes to the caller's stage.
# Everything else that no stage claims (running jobs, switching tasks, locks) stays RUNTIME.
LEAF = re.compile(r"^(_?_?swift_(retain|release|bridgeObject|beginAccess|endAccess|allocObject|deallocObject|deallocClassInstance|"
                  r"isUniquelyReferenced|getGenericMetadata|instantiateGenericMetadata|getCanonicalPrespecialized|getEnumCaseMultiPayload|"
                  r"storeEnumTagMultiPayload|arrayInit|arrayDestroy|getWitnessTable|conformsToProtocol|dynamicCast|slowAlloc|slowDealloc|"
                  r"getTupleTypeMetadata|allocBox|deallocBox|unknownObject)|malloc|free|cfree|_int_|__mem|mem(cpy|move|set|cmp)|"
                  r"\$s.*(Ma|Mn|WV|wcp|wxx|WOy|WOe|WOh|Oy|Oe)(Tm)?$)")


def stage_of(name):
    for stage, patterns in STAGES:
        if any(re.search(pattern, name) for pattern in patterns):
            return stage
    return None


def parse(path):
    """(total, {function: self}, {caller: [(callee, inclusive)]}) from a callgrind output file."""
    names, selfs, calls = {}, {}, {}
    current, pending_call = None, None
    total = 0

    def name(field):
        match = re.match(r"\((\d+)\)(?: (.*))?", field)
        if not match:
            return field
        if match.group(2) is not None:
            names[match.group(1)] = match.group(2)
        return names.get(match.group(1), match.group(1))

    with open(path, errors="replace") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line:
                continue
            head = line[0]
            if head.isdigit() or head in "+-*":
                cost = int(line.split()[1]) if len(line.split()) > 1 else 0
                if pending_call is not None:
                    calls.setdefault(current, []).append((pending_call, cost))
                    pending_call = None
                else:
                    selfs[current] = selfs.get(current, 0) + cost
                continue
            if line.startswith("fn="):
                current = name(line[3:])
            elif line.startswith("cfn="):
                callee = name(line[4:])
            elif line.startswith("calls="):
                pending_call = callee
            elif line.startswith("totals:") or line.startswith("summary:"):
                total = int(line.split()[1])
    return total or sum(selfs.values()), selfs, calls


def split(path):
    """Instructions by stage (see the module's doc)."""
    total, selfs, calls = parse(path)
    stages = {stage: 0 for stage, _ in STAGES}
    stages[RUNTIME] = 0
    attributed = 0
    for function, cost in selfs.items():
        stage = stage_of(function)
        if stage is None:
            continue
        stages[stage] += cost
        attributed += cost
        for callee, inclusive in calls.get(function, []):
            if stage_of(callee) is None and LEAF.search(callee):
                stages[stage] += inclusive
                attributed += inclusive
    # A release that runs a staged deinit is counted twice above (a small share); what is left,
    # never negative, is the runtime's own.
    stages[RUNTIME] = max(total - attributed, 0)
    return total, stages


def top(path, count=25):
    """The functions with the most instructions of their own, for a reader of the profile."""
    _, selfs, _ = parse(path)
    return sorted(selfs.items(), key=lambda item: -item[1])[:count]


def requests(port, tokens, count):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for index in range(count):
        connection.request("GET", "/workflows?limit=20", headers={"Authorization": "Bearer " + tokens[index % len(tokens)]})
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"instructions: GET /workflows answered {response.status}: {body[:300]!r}")
    connection.close()


def measure(cluster, database_url, tokens, count, binary=None, label="I"):
    """Instructions per B0 request of `binary` (or the cluster's), with the split by stage."""
    out = os.path.join(cluster.work, f"callgrind-{label}.out")
    # valgrind 3.19 cannot read the DWARF 5 that Swift writes: a copy without it keeps the symbols.
    stripped = os.path.join(cluster.work, f"platform-{label}-nodebug")
    subprocess.run(["objcopy", "--strip-debug", binary or cluster.platform, stripped], check=True)
    wrapper = ("valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}")
    os.environ["SWIFT_DETERMINISTIC_HASHING"] = "1"
    try:
        process, _ = cluster.start_gateway(f"gateway-callgrind-{label}", database_url, "local", extra=("--page-cache-mb", "0"),
                                           binary=stripped, wrapper=wrapper, ready_seconds=300)
    finally:
        del os.environ["SWIFT_DETERMINISTIC_HASHING"]
    requests(process.port, tokens, 200)
    pid = str(process.popen.pid)
    subprocess.run(["callgrind_control", "--instr=on", pid], check=True, capture_output=True)
    requests(process.port, tokens, count)
    subprocess.run(["callgrind_control", "--instr=off", pid], check=True, capture_output=True)
    # Callgrind writes its counts when the process exits.
    process.stop(120)
    deadline = time.time() + 30
    while not os.path.exists(out) and time.time() < deadline:
        time.sleep(0.1)
    total, stages = split(out)
    return {"per_request": round(total / count), "requests": count, "stages": {k: round(v / count) for k, v in stages.items()},
            "profile": out}
