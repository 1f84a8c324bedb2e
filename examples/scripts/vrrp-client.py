#!/usr/bin/env python3
"""vrrp-client.py HOST PORT INTERVAL_MS TIMEOUT_MS

A client for measuring a failover: starts an HTTP GET of / on a new connection to HOST:PORT every INTERVAL_MS
milliseconds, each on its own thread so that a request left without an answer does not hold up the next, and
gives each at most TIMEOUT_MS to connect and at most TIMEOUT_MS for each read. It runs until it is killed, and
prints one line per request as it ends:

    START END ok BODY       (a whole answer: BODY is its first line, the name of the backend that served it)
    START END fail REASON

START and END are seconds since the epoch. The outage a failover causes is the longest time between the STARTs
of two successful requests with no successful one started in between (to within INTERVAL_MS).
"""
import http.client
import sys
import threading
import time

lock = threading.Lock()


def report(start, outcome, detail):
    with lock:
        print(f"{start:.3f} {time.time():.3f} {outcome} {detail}", flush=True)


def request(host, port, timeout):
    start = time.time()
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        body = response.read().decode("ascii", "replace")
        if response.status != 200:
            report(start, "fail", f"status-{response.status}")
        else:
            report(start, "ok", (body.splitlines() or ["(empty)"])[0].strip() or "(empty)")
    except (OSError, http.client.HTTPException) as e:
        report(start, "fail", type(e).__name__)
    finally:
        connection.close()


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: vrrp-client.py HOST PORT INTERVAL_MS TIMEOUT_MS")
    host, port = sys.argv[1], int(sys.argv[2])
    interval, timeout = int(sys.argv[3]) / 1000, int(sys.argv[4]) / 1000
    if not 0 < interval <= 10 or not 0 < timeout <= 60:
        sys.exit("vrrp-client.py: expected INTERVAL_MS from 1 to 10000 and TIMEOUT_MS from 1 to 60000")
    # Start times on a fixed grid, so that a slow thread start does not stretch the interval.
    next_start = time.monotonic()
    while True:
        threading.Thread(target=request, args=(host, port, timeout), daemon=True).start()
        next_start += interval
        time.sleep(max(0.0, next_start - time.monotonic()))


if __name__ == "__main__":
    main()
