#!/usr/bin/env python3
"""The second client of the flood benchmark (docs/benchmarks.md, "Flood").

Trades at one keep-alive connection from another loopback address than the flood's, for a number of seconds:
sells and buys of one share cycling over five stocks, so stock never runs out. Prints one JSON line: the
count, the answers by status, and p50/p99/max latency in ms.

    python3 scripts/flood-trader.py PORT SECONDS [SOURCE_ADDRESS (default 127.0.0.3)]
"""
import http.client
import json
import sys
import time

STOCKS = ["APPL", "GOOG", "MSFT", "AMZN", "TSLA"]
# The wire contract's route and media type, as src/StockNet.Contracts/Routes.cs (Routes.Orders) and MediaTypes.cs
# (MediaTypes.Json) define them: change them there first.
ORDERS = "/orders"
JSON = "application/json"


def connect(port, source):
    return http.client.HTTPConnection("127.0.0.1", port, source_address=(source, 0), timeout=5)


def main():
    port, seconds = int(sys.argv[1]), float(sys.argv[2])
    source = sys.argv[3] if len(sys.argv) > 3 else "127.0.0.3"
    connection = connect(port, source)
    latencies, answers = [], {}
    end = time.time() + seconds
    i = 0
    while time.time() < end:
        # Five sells, then five buys: the catalog's quantities return to where they were.
        trade = {"name": STOCKS[i % 5], "type": "sell" if (i // 5) % 2 == 0 else "buy", "quantity": 1}
        started = time.perf_counter()
        try:
            connection.request("POST", ORDERS, json.dumps(trade), {"Content-Type": JSON})
            response = connection.getresponse()
            response.read()
            status = str(response.status)
        except (OSError, http.client.HTTPException) as error:
            status = "exception:" + type(error).__name__
            connection.close()
            connection = connect(port, source)
        latencies.append((time.perf_counter() - started) * 1000)
        answers[status] = answers.get(status, 0) + 1
        i += 1
    latencies.sort()
    n = len(latencies)
    print(json.dumps({"n": n, "codes": answers, "p50_ms": round(latencies[n // 2], 3),
                      "p99_ms": round(latencies[int(n * 0.99)], 3), "max_ms": round(latencies[-1], 3)}))


if __name__ == "__main__":
    main()
