"""6. Soak (--soak seconds after a 60 s warm-up) at half of wrk's measured maximum: no errors, RSS
grows < 10% after the warm-up, p99 stable."""

import os
import re
import subprocess
import time

from cluster import log
from faults import Load, check


def run(faults, database_url):
    seconds = faults.options.soak
    gateway, base = faults.start_gateway("gateway-soak", database_url, "local")
    token, _ = faults.new_admin(base, "soak")
    script = os.path.join(faults.work, "token.lua")
    with open(script, "w") as handle:
        handle.write('wrk.headers["Authorization"] = "Bearer %s"\n' % token)
    output = subprocess.run(["wrk", "-t", "2", "-c", "32", "-d", "5s", "-s", script, base + "/workflows?limit=20"],
                            capture_output=True, text=True, check=True).stdout
    maximum = float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1))
    target = maximum / 2
    # Warm-up: 60 s at the soak's rate, not judged. The gateway's RSS climbs for about a minute
    # under a steady load (measured: 68 -> 84 MB), then stays flat.
    warmup = 60.0
    load = Load(base, "/workflows?limit=20", token, threads=8, rate=target).start()
    started = time.monotonic()
    seconds += warmup
    rss = []
    while time.monotonic() - started < seconds:
        time.sleep(1)
        rss.append((time.monotonic() - started, gateway.rss_mb()))
    load.stop()
    alive = gateway.alive()
    gateway.stop()
    after_warmup = [value for at, value in rss if at >= warmup]
    growth = (after_warmup[-1] - after_warmup[0]) / after_warmup[0] if after_warmup else 0.0
    windows = []
    window = 10.0
    at = started + warmup
    while at + window <= started + seconds + 0.5:
        windows.append(Load.summary(load.between(at, at + window))["p99_ms"])
        at += window
    overall = Load.summary(load.samples)
    achieved = overall["requests"] / seconds
    seconds -= warmup
    median_p99 = sorted(windows)[len(windows) // 2] if windows else 0.0
    result = {"seconds": seconds, "max_rps_wrk": maximum, "target_rps": round(target, 1), "achieved_rps": round(achieved, 1),
              "requests": overall["requests"], "errors": overall["requests"] - overall["ok"], "statuses": overall["statuses"],
              "rss_after_warmup_mb": round(after_warmup[0], 1) if after_warmup else None,
              "rss_end_mb": round(after_warmup[-1], 1) if after_warmup else None, "rss_growth": round(growth, 4),
              "p99_ms_per_10s_window": windows, "p99_ms_overall": overall["p99_ms"],
              "rss_mb_every_10s": [round(value, 1) for at, value in rss[9::10]]}
    log(f"  {seconds} s (after a {warmup:.0f} s warm-up) at {achieved:.0f} req/s (half of wrk's {maximum:.0f}): {overall['requests']} requests, "
        f"{result['errors']} errors; RSS {result['rss_after_warmup_mb']} MB after the {warmup:.0f} s warm-up -> {result['rss_end_mb']} MB "
        f"({growth:+.1%}); p99 per 10 s window {windows} ms; RSS every 10 s {result['rss_mb_every_10s']}")
    check(alive, "the gateway died")
    check(result["errors"] == 0, f"errors during the soak: {overall['statuses']}")
    check(growth < 0.10, f"RSS grew {growth:.1%} after warm-up")
    check(achieved >= target * 0.9, f"the load reached {achieved:.0f} req/s of {target:.0f}")
    check(all(p <= max(3 * median_p99, 50) for p in windows), f"p99 not stable: {windows}")
    return result
