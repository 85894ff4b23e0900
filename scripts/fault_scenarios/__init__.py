"""The fault suite's scenarios, one module each, for scripts/faults. Each module's `run(faults,
database_url)` drives the shared cluster (`Faults` in scripts/lib/faults.py), raises `Failed` for a
broken guarantee and answers its figures for artifacts/faults/results.json.

SCENARIOS is the order in which scripts/faults runs them: it matters, since the scenarios share one
PostgreSQL and one Authorizer (after key-rotation, Authorizer signs with the new key)."""

from . import (authorizer_outage, balancer, hostile, key_rotation, postgres_restart, rate_limit, replica, sigkill, soak,
               storm)

SCENARIOS = {
    "authorizer-outage": authorizer_outage.run, "postgres-restart": postgres_restart.run, "sigkill": sigkill.run,
    "storm": storm.run, "key-rotation": key_rotation.run, "soak": soak.run, "hostile": hostile.run,
    "rate-limit": rate_limit.run, "balancer": balancer.run, "replica": replica.run,
}
