#!/usr/bin/env python3
"""Sequential get_auth_user with the official SailPoint Python SDK, for comparison with the Rust
client (e2e/benches/client.rs runs this script against its own local server).

Uses the SDK line that has `sailpoint.v2024` (PyPI `sailpoint<2`; 2.x split the package per API
and dropped the versioned modules). Install it into the git-ignored .tools folder:

    python3 -m venv .tools/py-sdk-venv
    .tools/py-sdk-venv/bin/pip install 'sailpoint<2'

Run alone against a server started with `cargo bench -p e2e --bench client -- --serve`:

    .tools/py-sdk-venv/bin/python e2e/benches/python_sdk_bench.py --base-url http://127.0.0.1:PORT

Prints a human-readable summary and one machine-readable line:
    RESULT sdk=<version> req_per_s=<median> cpu_us_per_req=<median> user_us_per_req=<median>
           sys_us_per_req=<median> decode_us=<median>
CPU time is this process's (time.process_time): the server runs in another process.
"""

import argparse
import importlib.metadata
import resource
import statistics
import time

from sailpoint.configuration import Configuration, ConfigurationParams
from sailpoint.v2024.api.auth_users_api import AuthUsersApi
from sailpoint.v2024.api_client import ApiClient
from sailpoint.v2024.models.auth_user import AuthUser

ID = "ef38f94347e94562b5bb8424a56397d8"

AUTH_USER = (
    '{"tenant":"test-tenant","id":"2c91808458ae7a4f0158b1bbf8af0628","uid":"will.smith",'
    '"profile":"2c91808458ae7a4f0158b1bbf8af0756","identificationNumber":"19-5588452",'
    '"email":"william.smith@example.com","phone":"5555555555","workPhone":"5555555555",'
    '"personalEmail":"william.smith@example.com","firstname":"Will","lastname":"Smith",'
    '"displayName":"Will Smith","alias":"will.smith",'
    '"lastPasswordChangeDate":"2021-03-08T22:37:33.901Z","lastLoginTimestamp":1656327185832,'
    '"currentLoginTimestamp":1656327185832,"lastUnlockTimestamp":"2021-03-08T22:37:33.901Z",'
    '"capabilities":["ORG_ADMIN"]}'
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    params = ConfigurationParams()
    params.base_url = args.base_url
    params.client_id = "bench-client"
    params.client_secret = "bench-secret"
    # Fetches the access token from {base_url}/oauth/token.
    configuration = Configuration(params)
    if not configuration.access_token:
        raise SystemExit("no access token from %s/oauth/token" % args.base_url)
    api = AuthUsersApi(ApiClient(configuration))

    user = api.get_auth_user(ID)
    assert user.id == "2c91808458ae7a4f0158b1bbf8af0628", user
    for _ in range(min(args.requests, 500)):
        api.get_auth_user(ID)

    rates, cpus, users, systems = [], [], [], []
    for _ in range(args.rounds):
        usage = resource.getrusage(resource.RUSAGE_SELF)
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.requests):
            api.get_auth_user(ID)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        end = resource.getrusage(resource.RUSAGE_SELF)
        rates.append(args.requests / wall)
        cpus.append(cpu * 1e6 / args.requests)
        users.append((end.ru_utime - usage.ru_utime) * 1e6 / args.requests)
        systems.append((end.ru_stime - usage.ru_stime) * 1e6 / args.requests)

    decode_iterations = 5000
    decodes = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for _ in range(decode_iterations):
            AuthUser.from_json(AUTH_USER)
        decodes.append((time.perf_counter() - start) * 1e6 / decode_iterations)

    version = importlib.metadata.version("sailpoint")
    rate, cpu, user, system, decode = (
        statistics.median(x) for x in (rates, cpus, users, systems, decodes)
    )
    print(
        "Python SDK sailpoint %s: %d rounds of %d sequential get_auth_user: "
        "%.0f requests/s (rounds %.0f-%.0f), %.1f µs CPU/request (%.1f user + %.1f sys); "
        "AuthUser.from_json %.2f µs"
        % (version, args.rounds, args.requests, rate, min(rates), max(rates), cpu, user, system,
           decode)
    )
    print(
        "RESULT sdk=%s req_per_s=%.1f cpu_us_per_req=%.2f user_us_per_req=%.2f "
        "sys_us_per_req=%.2f decode_us=%.3f" % (version, rate, cpu, user, system, decode)
    )


if __name__ == "__main__":
    main()
