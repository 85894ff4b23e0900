"""5. Key rotation at Authorizer (RS256, the old key still published): tokens of the new key are
accepted after at most one JWKS refetch, old tokens keep working, no request fails. Authorizer
keeps the new key for the rest of the suite (`faults.authorizer_extra`)."""

import os
import re
import subprocess
import time
import urllib.request

from cluster import PASSWORD, http, log
from faults import Load, check


def run(faults, database_url):
    gateway, base = faults.start_gateway("gateway-rotation", database_url, "hybrid", extra=["--session-check-interval", "1"])
    started = time.monotonic()
    old_token, email = faults.new_admin(base, "rotation")
    old_public = os.path.join(faults.work, "rs256-old.pub")
    new_private = os.path.join(faults.work, "rs256-new.pem")
    subprocess.run(["openssl", "rsa", "-in", os.path.join(faults.work, "authorizer-keys", "jwt-rs256.pem"), "-pubout", "-out", old_public],
                   check=True, capture_output=True)
    subprocess.run(["openssl", "genrsa", "-out", new_private, "2048"], check=True, capture_output=True)

    def refetches():
        text = urllib.request.urlopen(base + "/metrics").read().decode()
        found = re.search(r'^jwks_refresh_total\{outcome="loaded"\} ([0-9.]+)$', text, re.MULTILINE)
        return int(float(found.group(1))) if found else 0

    # The gateway refetches at most every 10 s; rotate after that, as a real rotation would.
    time.sleep(max(0.0, 11 - (time.monotonic() - started)))
    before = refetches()
    old_load = Load(base, "/workflows?limit=20", old_token, threads=2).start()
    time.sleep(1)
    rotated_at = time.monotonic()
    faults.authorizer.stop()
    faults.authorizer_extra = ["--jwt-private-key", new_private, "--jwt-previous-public-key", old_public]
    faults.start_authorizer(port=faults.authorizer_port, extra=faults.authorizer_extra)
    new_token = http("POST", base + "/auth/login", {"email": email, "password": PASSWORD})["accessToken"]
    new_load = Load(base, "/workflows?limit=20", new_token, threads=2).start()
    time.sleep(5)
    old_load.stop()
    new_load.stop()
    after = refetches()
    gateway.stop()
    # The rest of the suite signs with the new key from now on.
    old = Load.summary(old_load.samples)
    old_after = Load.summary(old_load.between(rotated_at, time.monotonic()))
    new = Load.summary(new_load.samples)
    result = {"old_token": old, "old_token_after_rotation": old_after, "new_token": new, "jwks_refetches": after - before}
    log(f"  old-key token: {old['ok']}/{old['requests']} ok ({old_after['ok']}/{old_after['requests']} after the rotation); "
        f"new-key token: {new['ok']}/{new['requests']} ok; JWKS refetches {after - before}")
    check(old["ok"] == old["requests"] and old_after["requests"] > 0, f"old token refused: {old['statuses']}")
    check(new["ok"] == new["requests"] and new["requests"] > 0, f"new token refused: {new['statuses']}")
    check(after - before <= 1, f"{after - before} JWKS refetches (at most one allowed)")
    return result
