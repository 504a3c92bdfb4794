#!/usr/bin/env python3
"""Loads users into Provisio's /scim/v2 through /Bulk (1,000 operations a request) for the
SCIM server bench; run_scim_server.sh drives it. Stops at --users or when --budget seconds
have passed, whichever comes first, and says exactly how many users it created.

  scim_server_bench.py --url http://127.0.0.1:PORT --token T --users 1000000 --budget 300 \
      --ids-out ids.txt
"""
import argparse
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse

PER_BULK = 1000


def bulk_body(start, n):
    ops = []
    for i in range(start, start + n):
        name = f"bench-{i}"
        ops.append({"method": "POST", "path": "/Users", "bulkId": f"b{i}",
                    "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                             "userName": name, "externalId": f"ext-{i}",
                             "name": {"givenName": "Bench", "familyName": str(i)},
                             "displayName": f"Bench {i}",
                             "emails": [{"value": f"{name}@bench.example", "type": "work",
                                         "primary": True}],
                             "active": True}})
    return json.dumps({"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
                       "Operations": ops}).encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--users", type=int, default=1_000_000)
    ap.add_argument("--budget", type=float, default=300.0)
    ap.add_argument("--ids-out", required=True)
    ap.add_argument("--sample", type=int, default=20000, help="ids kept for the GET/PATCH runs")
    ap.add_argument("--clients", type=int, default=2)
    a = ap.parse_args()
    u = urllib.parse.urlparse(a.url)
    deadline = time.monotonic() + a.budget
    lock = threading.Lock()
    state = {"next": 0, "created": 0, "errors": 0}
    sample = []
    rng = random.Random(7)

    def worker():
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)
        headers = {"Authorization": f"Bearer {a.token}", "Content-Type": "application/scim+json"}
        while True:
            with lock:
                if state["next"] >= a.users or time.monotonic() >= deadline:
                    return
                start = state["next"]
                state["next"] += min(PER_BULK, a.users - start)
            n = min(PER_BULK, a.users - start)
            conn.request("POST", "/scim/v2/Bulk", body=bulk_body(start, n), headers=headers)
            r = conn.getresponse()
            body = r.read()
            if r.status != 200:
                with lock:
                    state["errors"] += n
                print(f"bulk at {start}: HTTP {r.status} {body[:200]!r}", file=sys.stderr)
                continue
            ops = json.loads(body)["Operations"]
            ok = [o["location"].rsplit("/", 1)[1] for o in ops if o.get("status") == "201"]
            with lock:
                state["created"] += len(ok)
                state["errors"] += n - len(ok)
                for i in ok:
                    if len(sample) < a.sample:
                        sample.append(i)
                    elif rng.random() < a.sample / max(1, state["created"]):
                        sample[rng.randrange(a.sample)] = i

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(a.clients)]
    for t in threads:
        t.start()
    last = t0
    while any(t.is_alive() for t in threads):
        time.sleep(1)
        if time.monotonic() - last >= 30:
            last = time.monotonic()
            print(f"  {state['created']} users after {last - t0:.0f} s", file=sys.stderr)
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    with open(a.ids_out, "w") as f:
        f.write("\n".join(sample) + "\n")
    # Users bench-0 .. bench-(created-1) exist when no request failed (the filter run relies on it).
    print(json.dumps({"created": state["created"], "errors": state["errors"],
                      "seconds": round(elapsed, 1),
                      "users_per_second": round(state["created"] / elapsed, 1)}))


if __name__ == "__main__":
    main()
