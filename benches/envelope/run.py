#!/usr/bin/env python3
"""Issue 8's envelope benchmarks, every part measured in the same run, RUNS times; prints
markdown tables (medians, ratios, per-run ratios) on stdout, progress on stderr.

1. Native: `kmskit-envelope-bench` (benches/src/bin): kmskit::envelope encrypt/decrypt GB/s for
   1 MiB and 64 MiB, suites 0x0478 and 0x0578, next to raw AES-256-GCM from aws-lc-rs.
2. Python: kmskit.envelope (py_envelope.py) vs aws-encryption-sdk: ../shared/bench-peers/py_esdk.py
   run unchanged (the SDK's default suite, 0x0578) and py_esdk_0478.py (the same with 0x0478).
   Also, as a diagnostic, both again with glibc malloc told to keep freed memory
   (MALLOC_MMAP_THRESHOLD_/MALLOC_TRIM_THRESHOLD_/MALLOC_TOP_PAD_; BENCH_MALLOC_TUNED=0 skips it).
3. Node: kmskit's envelope (node_envelope.mjs) vs @aws-crypto/client-node: node_esdk.mjs run
   unchanged (0x0578) and node_esdk_0478.mjs, both from a scratch directory whose node_modules
   links to bindings-node/node_modules (the SDK is a devDependency there).
4. Peak memory streaming 64 MiB through kmskit's streaming APIs: py_stream_mem.py and
   node_stream_mem.mjs (plus Node's own share: the same pipelines with PassThrough; and both
   again with a full GC every 5 ms, which separates garbage not yet collected from live memory).

Usage, from the repository root (see BENCHMARKS.md, "Envelope encryption (issue 8)"):

    cargo build --release -p kmskit-benches --bin kmskit-envelope-bench
    (cd bindings-node && npm install && npx napi build --platform --release --js native.js --dts native.d.ts)
    .venv/bin/python benches/envelope/run.py [PEERS_DIR]   # a Python with kmskit + aws-encryption-sdk
    # env: RUNS=3 BENCH_SECONDS=2 BENCH_SIZES_MIB=1,64 BENCH_MALLOC_TUNED=1; BENCH_RAW=rows.tsv keeps
    # every measured row; BENCH_REPLAY=rows.tsv prints the tables of such a file without measuring
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PEERS = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared" / "bench-peers").resolve()
RUNS = int(os.environ.get("RUNS", "3"))
SECONDS = os.environ.get("BENCH_SECONDS", "2")
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES_MIB", "1,64").split(",") if s.strip()]
MALLOC_TUNED = os.environ.get("BENCH_MALLOC_TUNED", "1") != "0"
NATIVE = ROOT / "target" / "release" / "kmskit-envelope-bench"
NODE_MODULES = ROOT / "bindings-node" / "node_modules"
PY = sys.executable
TUNED_ENV = {"MALLOC_MMAP_THRESHOLD_": str(1 << 30), "MALLOC_TRIM_THRESHOLD_": str(1 << 32),
             "MALLOC_TOP_PAD_": str(256 << 20)}
SUITES = ("0x0478", "0x0578")
GC_EVERY_5MS = ["--expose-gc", "--import", "data:text/javascript,setInterval(()=>gc(),5).unref()"]

# rows[(source, operation)] = [value per run]; share[source] = [CPU share per run]
rows: dict[tuple[str, str], list[float]] = {}
units: dict[tuple[str, str], str] = {}
names: dict[str, str] = {}
share: dict[str, list[float]] = {}
raw_lines: list[str] = []


def log(*a: object) -> None:
    print(*a, file=sys.stderr, flush=True)


def run(source: str, cmd: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> None:
    """Runs one measuring script; keeps its TSV rows under `source` and its CPU share."""
    log(f"   {source}")
    e = dict(os.environ, BENCH_SECONDS=SECONDS, PYTHONPATH=str(PEERS), **(env or {}))
    before = os.times()
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, env=e, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = os.times()
    if p.returncode != 0:
        raise SystemExit(f"{source} failed ({p.returncode}):\n{p.stderr}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    share.setdefault(source, []).append(cpu / wall)
    for line in p.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) != 4:
            continue
        who, op, value, unit = parts
        names[source] = who
        rows.setdefault((source, op), []).append(float(value))
        units[(source, op)] = unit
        raw_lines.append(f"{source}\t{line}")


def med(source: str, op: str) -> float:
    return statistics.median(rows[(source, op)])


def per_run(a: tuple[str, str], b: tuple[str, str]) -> list[float]:
    return [x / y for x, y in zip(rows[a], rows[b])]


def fmt(v: float) -> str:
    return f"{v:,.0f}" if v >= 100 else f"{v:,.2f}" if v >= 1 else f"{v:.3f}"


def runs_text(rs: list[float]) -> str:
    return ", ".join(f"{r:.2f}" for r in rs)


def verdict(ratio: float, target: float, above: bool = True) -> str:
    ok = ratio >= target if above else ratio <= target
    return "met" if ok else "**not met**"


def cpu_info() -> str:
    text = Path("/proc/cpuinfo").read_text()

    def field(k: str) -> str:
        m = re.search(rf"^{k}\s*:\s*(.*)$", text, re.M)
        return m.group(1) if m else "?"

    flags = set(field("flags").split())
    wanted = [f for f in ("aes", "pclmulqdq", "avx2", "avx512f", "vaes", "vpclmulqdq", "sha_ni", "hypervisor") if f in flags]
    return (f"nproc {os.cpu_count()}; CPU \"{field('model name')}\" (cpu family {field('cpu family')}, model {field('model')}, "
            f"{field('cpu MHz')} MHz; flags: {' '.join(wanted)})")


def tool(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT).stdout.strip()
    except OSError:
        return "?"


def replay(path: Path) -> None:
    """Rebuilds the tables from a BENCH_RAW file of an earlier run (no measuring)."""
    meta = {"started": "?", "ended": "?", "load_start": "", "load_end": ""}
    for line in path.read_text().splitlines():
        parts = line.split("\t")
        if parts[0] == "#share":
            share.setdefault(parts[1], []).append(float(parts[2]))
        elif parts[0] == "#meta":
            meta[parts[1]] = parts[2]
        elif len(parts) == 5:
            source, who, op, value, unit = parts
            names[source] = who
            rows.setdefault((source, op), []).append(float(value))
            units[(source, op)] = unit
    load = lambda t: tuple(float(x) for x in t.split()) if t else (float("nan"),) * 3  # noqa: E731
    report(meta["started"], meta["ended"], load(meta["load_start"]), load(meta["load_end"]))


def main() -> None:
    if os.environ.get("BENCH_REPLAY"):
        replay(Path(os.environ["BENCH_REPLAY"]))
        return
    if not NATIVE.exists():
        raise SystemExit(f"{NATIVE} missing: cargo build --release -p kmskit-benches --bin kmskit-envelope-bench")
    if not (NODE_MODULES / "@aws-crypto" / "client-node").exists():
        raise SystemExit("bindings-node/node_modules has no @aws-crypto/client-node: (cd bindings-node && npm install)")
    load_start = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    scratch = Path(tempfile.mkdtemp(prefix="kmskit-envelope-bench-"))
    try:
        # node resolves @aws-crypto/client-node next to the script, as in run-all.sh
        (scratch / "node_modules").symlink_to(NODE_MODULES)
        shutil.copy(PEERS / "node_esdk.mjs", scratch)
        shutil.copy(HERE / "node_esdk_0478.mjs", scratch)
        for i in range(RUNS):
            log(f"== run {i + 1}/{RUNS} ({time.strftime('%H:%M:%S', time.gmtime())} UTC, load {os.getloadavg()[0]:.2f})")
            run("native", [str(NATIVE)], env={"BENCH_SIZES_MIB": ",".join(map(str, SIZES))})
            for mib in SIZES:
                run(f"py kmskit {mib}", [PY, str(HERE / "py_envelope.py"), str(mib)])
                run(f"py esdk {mib}", [PY, str(PEERS / "py_esdk.py"), str(mib)])
                run(f"py esdk-0478 {mib}", [PY, str(HERE / "py_esdk_0478.py"), str(mib)])
            if MALLOC_TUNED:
                for mib in SIZES:
                    run(f"py kmskit {mib} tuned", [PY, str(HERE / "py_envelope.py"), str(mib)], env=TUNED_ENV)
                    run(f"py esdk {mib} tuned", [PY, str(PEERS / "py_esdk.py"), str(mib)], env=TUNED_ENV)
                    run(f"py esdk-0478 {mib} tuned", [PY, str(HERE / "py_esdk_0478.py"), str(mib)], env=TUNED_ENV)
            for mib in SIZES:
                run(f"node kmskit {mib}", ["node", str(HERE / "node_envelope.mjs"), str(mib)])
                run(f"node esdk {mib}", ["node", str(scratch / "node_esdk.mjs"), str(mib)], cwd=scratch)
                run(f"node esdk-0478 {mib}", ["node", str(scratch / "node_esdk_0478.mjs"), str(mib)], cwd=scratch)
            for suite in SUITES:
                run(f"py mem {suite}", [PY, str(HERE / "py_stream_mem.py"), suite])
                run(f"node mem {suite}", ["node", str(HERE / "node_stream_mem.mjs"), suite])
            run("node mem control", ["node", str(HERE / "node_stream_mem.mjs"), "passthrough"])
            # diagnostic: the same with a full GC every 5 ms (what is garbage, what is live)
            for suite in ("0x0478", "passthrough"):
                run(f"node mem {suite} gc", ["node", *GC_EVERY_5MS, str(HERE / "node_stream_mem.mjs"), suite])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    load_end = os.getloadavg()
    ended = time.strftime("%H:%M:%S UTC", time.gmtime())
    if os.environ.get("BENCH_RAW"):
        meta = [f"#meta\tstarted\t{started}", f"#meta\tended\t{ended}",
                f"#meta\tload_start\t{' '.join(map(str, load_start))}", f"#meta\tload_end\t{' '.join(map(str, load_end))}"]
        shares = [f"#share\t{k}\t{v}" for k, vs in share.items() for v in vs]
        Path(os.environ["BENCH_RAW"]).write_text("\n".join(raw_lines + meta + shares) + "\n")
    report(started, ended, load_start, load_end)


def report(started: str, ended: str, load_start: tuple[float, ...], load_end: tuple[float, ...]) -> None:
    commit = tool(["git", "rev-parse", "--short", "HEAD"])
    dirty = " + uncommitted changes" if tool(["git", "status", "--porcelain", "--", "core", "bindings-python", "bindings-node/src",
                                             "bindings-node/envelope.js", "benches"]) else ""
    sdk_node = tool(["node", "-p", f"require('{NODE_MODULES}/@aws-crypto/client-node/package.json').version"])
    print(f"- Run: {started} – {ended}; {RUNS} runs, {SECONDS} s per measurement; medians of the runs, ratio = kmskit ÷ peer "
          "(of the medians); \"per run\" = each run's own ratio")
    print(f"- Machine: {cpu_info()}; load average (1/5/15 min) {' '.join(f'{x:.2f}' for x in load_start)} at start, "
          f"{' '.join(f'{x:.2f}' for x in load_end)} at end")
    print(f"- Software: {tool(['rustc', '--version'])}; Python {platform.python_version()}, kmskit {version('kmskit')} (wheel), "
          f"aws-encryption-sdk {version('aws-encryption-sdk')}, cryptography {version('cryptography')}; node {tool(['node', '--version'])}, "
          f"@aws-crypto/client-node {sdk_node}; kmskit at {commit}{dirty}")
    print()

    # ------------------------------------------------------------------ native
    gcm = "aws-lc-rs AES-256-GCM"
    print("#### Native: kmskit::envelope vs raw AES-256-GCM (aws-lc-rs), GB/s\n")
    print("Ratios: kmskit ÷ aws-lc-rs AES-256-GCM over the same bytes — **one call** (seal in place / open into a "
          "preallocated buffer: the cipher alone), **fresh Vec** (one call whose output is a newly allocated buffer, as a "
          "one-shot API returns), **4 KiB calls** (one call per 4096 bytes: the frame granularity).\n")
    print("| kmskit operation | size | kmskit GB/s | ÷ one call | per run | ÷ fresh Vec | ÷ 4 KiB calls | target (0x0478: ≥ 0.9× one call) |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    native_targets = []
    for mib in SIZES:
        for kind, label in (("encrypt", "seal"), ("decrypt", "open")):
            one = f"{label} {mib} MiB, one call, {'in place' if label == 'seal' else 'into a preallocated buffer'}"
            fresh = f"{label} {mib} MiB, one call, into a fresh Vec{' (copy + seal)' if label == 'seal' else ''}"
            chunks = f"{label} {mib} MiB, one call per 4096 bytes, {'in place' if label == 'seal' else 'into a preallocated buffer'}"
            ops = [(f"{kind} {mib} MiB (0x0478, frame 4096)", f"`envelope::{kind}` 0x0478, frame 4096"),
                   (f"{kind} {mib} MiB (0x0578, frame 4096)", f"`envelope::{kind}` 0x0578, frame 4096"),
                   (f"{kind} {mib} MiB (0x0478, frame 65536)", f"`envelope::{kind}` 0x0478, frame 65536"),
                   (f"{'Encryptor' if kind == 'encrypt' else 'Decryptor'} {mib} MiB (0x0478, frame 4096), 1 MiB chunks, output reused",
                    f"`{'Encryptor' if kind == 'encrypt' else 'Decryptor'}` 0x0478, frame 4096, 1 MiB chunks, output buffer reused")]
            if kind == "decrypt":
                ops.insert(3, (f"decrypt {mib} MiB (0x0478, frame 4096), plaintext via Secret::into_vec (not zeroized)",
                               "`envelope::decrypt` 0x0478, frame 4096, plaintext taken by `into_vec` (no zeroize on drop)"))
            for op, text in ops:
                k = ("native", op)
                if k not in rows:
                    continue
                r1 = med(*k) / med("native", one)
                target = ""
                if "`envelope::" in text and "0x0478, frame 4096" in text and "into_vec" not in text:
                    target = f"{r1:.2f}×: {verdict(r1, 0.9)}"
                    native_targets.append((f"native {kind} {mib} MiB 0x0478 ÷ one call", r1, 0.9, True))
                print(f"| {text} | {mib} MiB | {fmt(med(*k))} | {r1:.2f}× | {runs_text(per_run(k, ('native', one)))} | "
                      f"{med(*k) / med('native', fresh):.2f}× | {med(*k) / med('native', chunks):.2f}× | {target} |")
    print(f"\n{gcm} and diagnostics (same runs):\n")
    print("| operation | size | median | per run |")
    print("|---|---|---:|---:|")
    for (source, op), vals in rows.items():
        if source == "native" and (not re.match(r"(encrypt|decrypt|Encryptor|Decryptor) ", op) or "fixed cost" in op):
            m = re.search(r" (\d+) MiB", op)
            who = "aws-lc-rs" if op.startswith(("seal", "open", "digest")) else "kmskit"
            label = op.replace(m.group(0), "", 1) if m else op
            size = f"{m.group(1)} MiB" if m else "—"
            u = units[(source, op)]
            print(f"| {who}: {label} | {size} | {fmt(statistics.median(vals))} {u} | {runs_text(vals)} |")
    print()

    # ------------------------------------------------------------------ bindings
    targets = list(native_targets)

    def binding_table(lang: str, ours: str, peer: str, peer0478: str, suffix: str = "") -> None:
        print(f"| operation | kmskit ({lang}) MB/s | peer | peer MB/s | ratio | per run | target ≥ 10× |")
        print("|---|---:|---|---:|---:|---:|---|")
        for mib in SIZES:
            for kind in ("encrypt", "decrypt"):
                for suite in SUITES:
                    ko = (f"{ours} {mib}{suffix}", f"{kind} {mib} MiB ({suite})")
                    src = f"{peer0478 if suite == '0x0478' else peer} {mib}{suffix}"
                    pops = [op for (s, op) in rows if s == src and op.startswith(f"{kind} {mib} MiB")]
                    if ko not in rows or not pops:
                        continue
                    po = (src, pops[0])
                    r = med(*ko) / med(*po)
                    if not suffix:
                        targets.append((f"{lang} {kind} {mib} MiB {suite} ÷ SDK {suite}", r, 10.0, True))
                    print(f"| {kind} {mib} MiB, {suite} | {fmt(med(*ko))} | {names[src]} ({suite}) | {fmt(med(*po))} | "
                          f"{r:.1f}× | {runs_text(per_run(ko, po))} | {verdict(r, 10) if not suffix else '(diagnostic)'} |")
        # the defaults against each other: kmskit's 0x0478 vs the SDK's 0x0578
        cells = []
        for mib in SIZES:
            for kind in ("encrypt", "decrypt"):
                ko = (f"{ours} {mib}{suffix}", f"{kind} {mib} MiB (0x0478)")
                src = f"{peer} {mib}{suffix}"
                pops = [op for (s, op) in rows if s == src and op.startswith(f"{kind} {mib} MiB")]
                if ko in rows and pops:
                    cells.append(f"{kind} {mib} MiB {med(*ko) / med(src, pops[0]):.1f}×")
        print(f"\nDefaults against defaults (kmskit 0x0478 ÷ the SDK's 0x0578, not like for like): {'; '.join(cells)}.\n")

    print("#### Python: kmskit.envelope vs aws-encryption-sdk (like for like: same suite)\n")
    binding_table("Python", "py kmskit", "py esdk", "py esdk-0478")
    if MALLOC_TUNED and any(s.endswith("tuned") for s, _ in rows):
        print("Diagnostic, same runs: both again with glibc malloc keeping freed memory "
              f"({' '.join(f'{k}={v}' for k, v in TUNED_ENV.items())}), so large buffers are not returned to the kernel "
              "and page-faulted in again on every call:\n")
        binding_table("Python", "py kmskit", "py esdk", "py esdk-0478", suffix=" tuned")
    print("#### Node: kmskit envelope vs @aws-crypto/client-node (like for like: same suite)\n")
    binding_table("Node", "node kmskit", "node esdk", "node esdk-0478")

    # ------------------------------------------------------------------ memory
    print("#### Peak memory: a 64 MiB message streamed through kmskit (encrypt file → file, decrypt file → hash)\n")
    print("| runtime | suite | baseline RSS | peak RSS | peak above baseline (median; max) | per run | target ≤ 32 MiB |")
    print("|---|---|---:|---:|---:|---:|---|")
    for lang, src in (("Python", "py mem"), ("Node", "node mem")):
        for suite in SUITES:
            s = f"{src} {suite}"
            what = f"stream 64 MiB enc+dec ({suite})"
            if (s, f"peak above baseline, {what}") not in rows:
                continue
            growth = rows[(s, f"peak above baseline, {what}")]
            g = statistics.median(growth)
            targets.append((f"{lang} streaming 64 MiB {suite}: MiB above baseline", g, 32.0, False))
            print(f"| {lang} ({names[s]}) | {suite} | {med(s, f'baseline RSS, {what}'):.1f} MiB | {med(s, f'peak RSS, {what}'):.1f} MiB | "
                  f"{g:.1f} MiB; {max(growth):.1f} | {runs_text(growth)} | {verdict(g, 32, above=False)} |")
    c = "node mem control"
    cw = "stream 64 MiB file to file and to a hash, PassThrough instead of kmskit (control)"
    if (c, f"peak above baseline, {cw}") in rows:
        growth = rows[(c, f"peak above baseline, {cw}")]
        print(f"| Node control: the same pipelines with `PassThrough` instead of kmskit | — | {med(c, f'baseline RSS, {cw}'):.1f} MiB | "
              f"{med(c, f'peak RSS, {cw}'):.1f} MiB | {statistics.median(growth):.1f} MiB; {max(growth):.1f} | {runs_text(growth)} | — |")
    for s, label in (("node mem 0x0478 gc", "kmskit 0x0478"), ("node mem passthrough gc", "control (`PassThrough`)")):
        what = "stream 64 MiB enc+dec (0x0478)" if "0x0478" in s else cw
        if (s, f"peak above baseline, {what}") in rows:
            growth = rows[(s, f"peak above baseline, {what}")]
            print(f"| Node diagnostic, {label}, `node --expose-gc` and a full GC every 5 ms | {'0x0478' if '0x0478' in s else '—'} | "
                  f"{med(s, f'baseline RSS, {what}'):.1f} MiB | {med(s, f'peak RSS, {what}'):.1f} MiB | "
                  f"{statistics.median(growth):.1f} MiB; {max(growth):.1f} | {runs_text(growth)} | — |")
    peers = []
    for src, label in (("py esdk 64", "py aws-encryption-sdk"), ("node esdk 64", "@aws-crypto/client-node")):
        op = "peak RSS, 64 MiB enc+dec process"
        op1 = "peak RSS, 1 MiB enc+dec process"
        if (src, op) in rows:
            one = f"; the same script with 1 MiB: {med(src.replace(' 64', ' 1'), op1):.0f} MiB" if (src.replace(" 64", " 1"), op1) in rows else ""
            peers.append(f"{label}: {med(src, op):.0f} MiB (whole 64 MiB message in memory, enc+dec{one})")
    if peers:
        print(f"\nPeers' peak RSS in the same runs (their scripts, in memory, not streaming): {'; '.join(peers)}.")
    print()

    # ------------------------------------------------------------------ noise + targets
    print("#### CPU share per script (CPU time of the process ÷ wall time; Node runs kmskit's work on its thread pool, "
          "so it can exceed 1)\n")
    print("| script | per run |")
    print("|---|---|")
    for script, values in share.items():
        print(f"| {script} | {runs_text(values)} |")
    print("\n#### Targets\n")
    for what, value, t, above in targets:
        unit = "×" if above else " MiB"
        print(f"- {what}: {value:.2f}{unit} (target {'≥' if above else '≤'} {t:g}{unit}) — {verdict(value, t, above)}")


if __name__ == "__main__":
    main()
