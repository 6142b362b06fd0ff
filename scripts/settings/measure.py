#!/usr/bin/env python3
"""measure.py CONN SECONDS NAME...: one `stocknet bench` trade run against each cluster.sh cluster, in the order given.

Prints, per run: the load average before and after, trades/s, p50, and per trade the five services' context switches
(voluntary + involuntary, summed over each process's threads from /proc/<pid>/task/*/status; a thread that exits
during the run is left out) and CPU (utime + stime from /proc/<pid>/stat), then the same per service
(switches/CPU in µs). Trades per run are the bench's rate times the measured seconds plus its 1-s warm-up.
STOCKNET: the stocknet executable that runs the bench (default: on the PATH).
"""
import json, os, subprocess, sys, time

WK = os.environ.get('WK', '/tmp/stocknet-settings')
STOCKNET = os.environ.get('STOCKNET', 'stocknet')
HZ = os.sysconf('SC_CLK_TCK')


def services(name):
    return [(line.split()[0], int(line.split()[1])) for line in open(f'{WK}/{name}/pids')]


def snapshot(pid):
    switches = {}
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            lines = open(f'/proc/{pid}/task/{tid}/status').readlines()
        except FileNotFoundError:
            continue
        switches[tid] = sum(int(l.split()[1]) for l in lines if l.startswith(('voluntary_ctxt', 'nonvoluntary_ctxt')))
    fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    return switches, (int(fields[11]) + int(fields[12])) / HZ


def switched(before, after):
    return sum(n - before.get(tid, 0) for tid, n in after.items())


def load():
    return open('/proc/loadavg').read().split()[0]


def main():
    connections, seconds, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    for name in names:
        url = open(f'{WK}/{name}/url').read().strip()
        procs = services(name)
        before = {role: snapshot(pid) for role, pid in procs}
        start, load0 = time.strftime('%H:%M:%S'), load()
        out = f'{WK}/{name}/run.json'
        subprocess.run([STOCKNET, 'bench', '--url', url, '--scenarios', 'trade', '--connections', connections,
                        '--duration', seconds, '--warmup', '1', '--scenario-warmup', '0', '--json', out],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        after = {role: snapshot(pid) for role, pid in procs}
        row = json.load(open(out))['throughput'][0]
        rate, p50 = row['requests_per_second'], row['p50_ms']
        trades = rate * (float(seconds) + 1)
        cs = {r: switched(before[r][0], after[r][0]) / trades for r, _ in procs}
        cpu = {r: (after[r][1] - before[r][1]) / trades * 1e6 for r, _ in procs}
        each = ' '.join(f'{r}:{cs[r]:.1f}/{cpu[r]:.0f}' for r, _ in procs)
        print(f'{start} {name:6} c{connections} load {load0}-{load()} {rate:8.0f}/s p50 {p50:.3f} ms  '
              f'cs/trade {sum(cs.values()):5.1f}  cpu/trade {sum(cpu.values()):5.0f} us  [{each}]', flush=True)


if __name__ == '__main__':
    main()
