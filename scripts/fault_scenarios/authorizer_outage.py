"""1. Authorizer down during load (`local` and `hybrid`; stopped, and hung by SIGSTOP): authenticated
reads keep succeeding (>= 99.9%), login and signup answer 503 within 3 s, /readyz stays 200 (the
instance serves its traffic, so a balancer keeps it) with `authorizer: unreachable` as a detail, all recovers without a gateway restart, and users created at Authorizer meanwhile
(their webhooks lost) appear after the next reconcile."""

import os
import signal
import time

from cluster import ADMIN_SECRET, CLIENT_ID, CLIENT_SECRET, PASSWORD, free_port, log, status_of
from faults import Load, check


def run(faults, database_url):
    figures = {}
    # Stopped: the process is gone (connections refused). Hung: SIGSTOP (connections accepted, no answer).
    for mode, how in (("local", "stopped"), ("hybrid", "stopped"), ("hybrid", "hung")):
        label = f"{mode}, Authorizer {how}"
        gateway, base = faults.start_gateway(f"gateway-outage-{mode}-{how}", database_url, mode, extra=["--session-check-interval", "1"])
        token, email = faults.new_admin(base, f"outage-{mode}-{how}")
        load = Load(base, "/workflows?limit=20", token, threads=4).start()
        time.sleep(2)
        down_at = time.monotonic()
        if how == "stopped":
            faults.authorizer.kill()
        else:
            faults.authorizer.popen.send_signal(signal.SIGSTOP)
        time.sleep(0.5)
        login = status_of("POST", base + "/auth/login", {"email": email, "password": PASSWORD}, timeout=10)
        signup = status_of("POST", base + "/auth/signup", {"email": f"new-{mode}-{how}@faults.test", "password": PASSWORD,
                                                           "confirmPassword": PASSWORD}, timeout=10)
        ready = status_of("GET", base + "/readyz", timeout=10)
        # Meanwhile, users sign up at Authorizer itself (here: a second instance on its database that
        # this gateway does not know); their webhooks are lost, so only reconcile brings them.
        meanwhile = [f"meanwhile-{mode}-{how}-{n}@faults.test" for n in range(3)] if how == "stopped" else []
        other_port = free_port()
        other_url = f"http://127.0.0.1:{other_port}"
        other, _ = faults.start("authorizer-meanwhile", [
            "authorizer", "--http-port", str(other_port), "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET,
            "--admin-secret", ADMIN_SECRET, "--jwt-type", "RS256", "--database-url", f"sqlite://{faults.authorizer_db}",
            "--data-folder", os.path.join(faults.work, "authorizer-keys"), "--log-level", "warning", "--env", "e2e",
            "--disable-mfa"],
            other_url + "/healthz")
        for address in meanwhile:
            faults.authorizer_signup(other_url, address)
        other.stop()
        time.sleep(max(0.0, 5 - (time.monotonic() - down_at)))
        up_at = time.monotonic()
        if how == "stopped":
            faults.start_authorizer(port=faults.authorizer_port, extra=faults.authorizer_extra)
        else:
            faults.authorizer.popen.send_signal(signal.SIGCONT)
        recovered_at = faults.wait_for(lambda: status_of("POST", base + "/auth/login", {"email": email, "password": PASSWORD},
                                                       timeout=5)[0] == 200, 30, "login after Authorizer's return")
        recovery = time.monotonic() - up_at - (time.time() - recovered_at)
        ready_after = status_of("GET", base + "/readyz")[0]
        load.stop()
        outage = Load.summary(load.between(down_at, up_at))
        whole = Load.summary(load.samples)
        drift = faults.reconcile(database_url)
        found = faults.count("SELECT COUNT(*) FROM users WHERE email IN (%s)" % ",".join(f"'{a}'" for a in meanwhile)) if meanwhile else 0
        gateway.stop()
        result = {
            "reads_during_outage": outage, "reads_overall_success_rate": whole["success_rate"],
            "login_during_outage": {"status": login[0], "seconds": round(login[2], 2), "type": (login[1] or {}).get("type")},
            "signup_during_outage": {"status": signup[0], "seconds": round(signup[2], 2)},
            "readyz_during_outage": {"status": ready[0], "authorizer": ((ready[1] or {}).get("details") or {}).get("authorizer")},
            "login_recovered_seconds_after_return": round(recovery, 2), "readyz_after_return": ready_after,
            "reconcile": drift, "meanwhile_users_found": found,
        }
        log(f"  {label}: reads during the 5 s outage {outage['ok']}/{outage['requests']} ok ({outage['success_rate']:.2%}), "
            f"p99 {outage['p99_ms']} ms; login {login[0]} in {login[2]:.2f} s, signup {signup[0]} in {signup[2]:.2f} s; "
            f"readyz {ready[0]} (authorizer: {result['readyz_during_outage']['authorizer']}); login back {recovery:.2f} s after Authorizer's "
            f"return; reconcile: {drift}; {found}/{len(meanwhile)} users made meanwhile present")
        figures[label] = result
        check(outage["requests"] > 100, f"{label}: too few reads during the outage to judge ({outage['requests']})")
        check(whole["success_rate"] >= 0.999, f"{label}: reads {whole['success_rate']:.4%} < 99.9%: {whole['statuses']}")
        check(login[0] == 503 and login[2] <= 3, f"{label}: login during the outage: {login[0]} after {login[2]:.2f} s")
        check(signup[0] == 503 and signup[2] <= 3, f"{label}: signup during the outage: {signup[0]} after {signup[2]:.2f} s")
        check(ready[0] == 200 and "unreachable" in (result["readyz_during_outage"]["authorizer"] or ""), f"{label}: readyz {ready}")
        check(ready_after == 200, f"{label}: readyz after the return: {ready_after}")
        check(found == len(meanwhile), f"{label}: {found}/{len(meanwhile)} users made at Authorizer meanwhile are in the platform after reconcile")
    return figures
