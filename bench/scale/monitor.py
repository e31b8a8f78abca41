"""Runs one command and reports its peak memory and its throughput over each tenth of its input.

    python3 monitor.py --input-bytes N --output FILE --bound-mib M --label NAME -- COMMAND...

Progress is the bytes the process has written (`wchar` in /proc/PID/io), sampled every 50 ms:
rows are written as each chunk of articles is done, so output is finished work. The total is
FILE's size once the process has exited. Tenth k spans the moments `wchar` crossed k/10 and
(k+1)/10 of it; the first starts when the process starts (so it includes start-up) and the last
ends when the process exits. A tenth's speed is given in MB of input per second, taking each tenth
of the output to stand for a tenth of the input, which holds for a corpus as uniform as gen.py's.
The pipeline works in chunks of 2,048 articles (about 4 MB of news text), so the tenths mean
something only for inputs of many chunks: --no-tenths skips them for a small input. Peak memory is the kernel's peak resident set (ru_maxrss from
wait4), the same figure as /proc/PID/status VmHWM and `/usr/bin/time -v`.

Prints the figures and one verdict line; exits 1 when the command fails, the peak exceeds the
bound, or (unless --no-tenths) the last tenth runs at less than --min-ratio of the first tenth's
speed.
"""

import argparse
import csv
import os
import subprocess
import sys
import time


def wchar(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/io") as f:
            for line in f:
                if line.startswith("wchar:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--input-bytes", type=int, required=True)
    parser.add_argument("--bound-mib", type=float, required=True)
    parser.add_argument("--min-ratio", type=float, default=0.5)
    parser.add_argument("--output", required=True, help="the file the command writes")
    parser.add_argument("--no-tenths", action="store_true", help="report peak memory and overall speed only")
    parser.add_argument("--rows", action="store_true", help="also count the output's CSV rows and distinct quotes")
    parser.add_argument("--label", default="run")
    parser.add_argument("command", nargs="+")
    args = parser.parse_args()

    start = time.monotonic()
    child = subprocess.Popen(args.command)
    samples = [(0.0, 0)]
    while True:
        done, status, usage = os.wait4(child.pid, os.WNOHANG)
        if done:
            break
        written = wchar(child.pid)
        if written is not None:
            samples.append((time.monotonic() - start, written))
        time.sleep(0.05)
    end = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    peak_mib = usage.ru_maxrss / 1024

    size = args.input_bytes
    total = os.path.getsize(args.output) if code == 0 else 0
    # When wchar first reached each tenth of the output (linear between samples).
    crossings = [0.0]
    for k in range(1, 10):
        target = total * k / 10
        t = next((t1 - (r1 - target) / (r1 - r0) * (t1 - t0)
                  for (t0, r0), (t1, r1) in zip(samples, samples[1:]) if r0 < target <= r1), None)
        crossings.append(t if t is not None else float("nan"))
    crossings.append(end)
    mb = size / 10 / 1e6
    rates = [mb / (b - a) if b > a else float("nan") for a, b in zip(crossings, crossings[1:])]

    print(f"== {args.label}: {' '.join(args.command)}")
    print(f"exit code {code}, {end:.1f} s, {size / 1e6:.1f} MB of input, {size / 1e6 / end:.2f} MB/s overall, {total / 1e6:.1f} MB of output")
    ratio = rates[-1] / rates[0] if rates[0] > 0 else float("nan")
    if not args.no_tenths:
        print("throughput per tenth (MB of input/s): " + " ".join(f"{r:.2f}" for r in rates))
        print(f"first tenth {rates[0]:.2f} MB/s, last tenth {rates[-1]:.2f} MB/s, last/first = {ratio:.2f} (must be >= {args.min_ratio})")
    if args.rows and code == 0:
        with open(args.output, newline="", encoding="utf-8") as f:
            quotes = [row["quote"] for row in csv.DictReader(f)]
        print(f"{len(quotes)} quotes ({len(set(quotes))} distinct), {len(quotes) / end:.0f} quotes/s overall")
    print(f"peak RSS {peak_mib:.1f} MiB (bound {args.bound_mib:.0f} MiB)")
    failures = []
    if code != 0:
        failures.append(f"the command exited with {code}")
    if peak_mib > args.bound_mib:
        failures.append(f"peak RSS {peak_mib:.1f} MiB is over the bound of {args.bound_mib:.0f} MiB")
    if not args.no_tenths and not ratio >= args.min_ratio:
        failures.append(f"the last tenth ran at {ratio:.2f} of the first tenth's speed")
    print(f"{args.label}: " + ("FAIL: " + "; ".join(failures) if failures else "ok"))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
