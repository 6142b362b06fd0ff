#!/usr/bin/env python3
"""pair.py A B N: N trades on each of two cluster.sh clusters, one at a time on one keep-alive connection each,
A and B alternating in random order, after 200 unmeasured pairs. Prints each side's p10/p50/p90 and the median of
the pairwise differences: a pair's two trades ran a few milliseconds apart, so the machine's load, which moves the
latencies of whole runs by far more than the settings do, cancels out of the difference. Python's own client adds
about the same to both sides."""
import http.client, json, os, random, statistics, sys, time, uuid

WK = os.environ.get('WK', '/tmp/stocknet-settings')
# The wire contract's route, header and media type, as src/StockNet.Contracts/Routes.cs (Routes.Orders,
# Routes.IdempotencyKeyHeader) and MediaTypes.cs (MediaTypes.Json) define them: change them there first.
ORDERS = '/orders'
IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key'
JSON = 'application/json'


def connect(name):
    host, port = open(f'{WK}/{name}/url').read().strip().split('//')[1].split(':')
    return http.client.HTTPConnection(host, int(port))


def trade(connection, i):
    body = json.dumps({'name': 'GOOG', 'type': 'sell' if i % 2 == 0 else 'buy', 'quantity': 1})
    started = time.perf_counter()
    connection.request('POST', ORDERS, body, {'Content-Type': JSON, IDEMPOTENCY_KEY_HEADER: str(uuid.uuid4())})
    response = connection.getresponse()
    response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != 200:
        sys.exit(f'trade answered {response.status}')
    return elapsed


def main():
    a, b, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    ca, cb = connect(a), connect(b)
    rnd = random.Random(1)
    ta, tb = [], []
    for i in range(-200, n):
        if rnd.random() < 0.5:
            x, y = trade(ca, i), trade(cb, i)
        else:
            y, x = trade(cb, i), trade(ca, i)
        if i >= 0:
            ta.append(x)
            tb.append(y)
    d = [x - y for x, y in zip(ta, tb)]
    q = lambda v, p: sorted(v)[int(len(v) * p / 100)]
    side = lambda name, v: f'{name} p50 {statistics.median(v):.3f} p10 {q(v, 10):.3f} p90 {q(v, 90):.3f}'
    print(f"{time.strftime('%H:%M:%S')} load {open('/proc/loadavg').read().split()[0]} n={n}  {side(a, ta)} | "
          f"{side(b, tb)} | diff ({a}-{b}) p50 {statistics.median(d):+.3f} ms, {a} faster in "
          f"{sum(1 for x in d if x < 0) * 100 / len(d):.0f}% of pairs")


if __name__ == '__main__':
    main()
