"""8. Authorizer's rate limit (--rate-limit-seconds of load through a hybrid gateway): a 429 from
Authorizer signs no one out."""

import time

from cluster import PASSWORD, log, status_of
from faults import Load, check


def run(faults, database_url):
    """60 s of load through a hybrid gateway whose session checks exceed the twin's default
    limit (30 requests/s per IP, burst 20; Authorizer 2.4's http_handlers/rate_limit.go): 60
    users, each session checked every second. Authorizer answers some checks 429; no user may
    be signed out (issue 19, behaviour 3)."""
    seconds = faults.options.rate_limit_seconds
    gateway, base = faults.start_gateway("gateway-rate-limit", database_url, "hybrid", extra=("--session-check-interval", "1"))
    tokens = []
    for index in range(60):
        email = f"limited-{index}@faults.test"
        body = {"email": email, "password": PASSWORD, "confirmPassword": PASSWORD, "clientName": f"limited {index}"}
        for path, payload in (("/auth/signup", body), ("/auth/login", {"email": email, "password": PASSWORD})):
            # Signups and logins go one at a time too: a limited one answers 429 and is retried.
            for _ in range(20):
                status, answer, _ = status_of("POST", base + path, payload)
                if status != 429:
                    break
                time.sleep(1)
            if path == "/auth/login":
                check(status == 200 and answer and answer.get("accessToken"), f"login {email}: {status} {answer}")
                tokens.append(answer["accessToken"])
    limited_before = faults.metric(base, "authorizer_call_errors_total", kind="too_many_requests", operation="validate_jwt_token")
    loads = [Load(base, "/auth/me", token, threads=1, rate=4).start() for token in tokens]
    time.sleep(seconds)
    for load in loads:
        load.stop()
    limited = faults.metric(base, "authorizer_call_errors_total", kind="too_many_requests", operation="validate_jwt_token") - limited_before
    gateway.stop()
    samples = [sample for load in loads for sample in load.samples]
    overall = Load.summary(samples)
    signed_out = sum(1 for load in loads if any(status == 401 for _, _, status in load.samples))
    result = {"seconds": seconds, "users": len(tokens), "requests": overall["requests"], "statuses": overall["statuses"],
              "session_checks_limited": limited, "users_signed_out": signed_out}
    log(f"  {seconds} s, {len(tokens)} users: {overall['requests']} requests {overall['statuses']}; "
        f"{limited:.0f} session checks answered 429 by Authorizer; {signed_out} users signed out")
    check(limited > 0, "the twin's limit was never reached; the scenario proves nothing")
    check(signed_out == 0, f"{signed_out} users signed out: {overall['statuses']}")
    check(overall["ok"] == overall["requests"], f"failed requests: {overall['statuses']}")
    return result
