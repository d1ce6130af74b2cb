#!/usr/bin/env python3
"""Page latency of Agora's main page types on a generated data set, under concurrent load (issue 6, Speed).

Run by hand, not in CI:

    python3 benches/pages.py                         # 1 M triples; about 6 minutes once the data is cached
    python3 benches/pages.py --triples 3000000 --seconds 10 --clients 1,8

What it does:

1. Data (cached in ~/.cache/agora/sparql_mix/t{triples}-s{seed}, shared with
   benches/sparql_mix.py): `agora generate` writes N-Quads and `agora load` loads them into an
   Agora data folder (which also builds the search index).
2. Requests per page type: the list pages as they open (`/`, `/consultaties`, `/vergaderingen`,
   `/voorstellen`, `/verantwoording`) plus a second page of the consultations; the resource pages
   of sampled IRIs (`--iris` per type, seeded): consultations, meetings, decisions, agenda items
   and documents (the generic page); searches for a few Dutch words.
3. Each distinct request is sent once first: every answer must be a 200 HTML page.
4. Timing: wrk (`apt-get install wrk`, `benches/pages/pages.lua` rotates through a type's
   requests) at each `--clients` count, a warm-up before each measurement, then the whole mix.

The table (requests per second, p50, p90 and p99 latency per page type) is printed and written to
benches/pages/results-<date>.md.
"""

import argparse
import datetime
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sparql_mix as mix  # noqa: E402  (shares the data cache, the server wrapper and the helpers)

HERE = mix.REPO / "benches" / "pages"
LUA = HERE / "pages.lua"
SEARCH_WORDS = ["klimaat", "subsidie", "onderwijs", "decreet", "mobiliteit", "beslissing"]


def prepare(args):
    cache = Path(args.cache) / f"t{args.triples}-s{args.seed}"
    cache.mkdir(parents=True, exist_ok=True)
    nquads = cache / "data.nq"
    if not (cache / "generated.done").exists():
        mix.run([args.agora, "generate", "--triples", args.triples, "--seed", args.seed, "--out", nquads])
        (cache / "generated.done").touch()
    agora_dir = cache / "agora"
    if not (cache / "agora.done").exists():
        shutil.rmtree(agora_dir, ignore_errors=True)
        mix.run([args.agora, "load", nquads, "--data", agora_dir])
        (cache / "agora.done").touch()
    return cache, nquads, agora_dir


def requests_by_type(iris):
    """{page type: [path]}"""
    def paths(kind):
        return [urllib.parse.urlparse(iri).path for iri in iris.get(kind, [])]

    pages = {
        "home /": ["/"],
        "consultations list": ["/consultaties", "/consultaties?pagina=2"],
        "meetings list": ["/vergaderingen"],
        "proposals list": ["/voorstellen"],
        "accountability": ["/verantwoording"],
        "consultation page": paths("consultatie"),
        "meeting page": paths("vergaderactiviteit"),
        "decision page": paths("beslissingsactiviteit"),
        "agenda item (generic page)": paths("agendapunt"),
        "document (generic page)": paths("stuk"),
        "search": [f"/zoeken?q={urllib.parse.quote(word)}" for word in SEARCH_WORDS],
    }
    return {name: paths for name, paths in pages.items() if paths}


def fetch(port, path):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Accept": "text/html"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return status, body, time.perf_counter() - started


def wrk(port, paths, clients, seconds, request_file):
    request_file.write_text("\n".join(paths) + "\n")
    command = ["wrk", "-t", str(min(2, clients)), "-c", str(clients), "-d", f"{seconds}s",
               "--timeout", "30s", "-s", str(LUA), f"http://127.0.0.1:{port}/"]
    output = subprocess.run(command, check=True, capture_output=True, text=True,
                            env={**os.environ, "AGORA_PAGES_REQUESTS": str(request_file)}).stdout
    line = next(l for l in output.splitlines() if l.startswith("AGORA_PAGES "))
    result = json.loads(line[len("AGORA_PAGES "):])
    result["errors"] = sum(result[key] for key in ("status_errors", "unfinished", "connect_errors",
                                                   "read_errors", "write_errors", "timeouts"))
    result["ok_per_s"] = ((result["requests"] - result["status_errors"] - result["unfinished"])
                          / (result["duration_us"] / 1e6))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=int(os.environ.get("AGORA_BENCH_PAGES_TRIPLES", 1_000_000)))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("AGORA_BENCH_PAGES_SECONDS", 10)))
    parser.add_argument("--warmup", type=int, default=int(os.environ.get("AGORA_BENCH_PAGES_WARMUP", 2)))
    parser.add_argument("--clients", default=os.environ.get("AGORA_BENCH_PAGES_CLIENTS", "1,8"))
    parser.add_argument("--iris", type=int, default=20, help="sampled IRIs per resource page type")
    parser.add_argument("--agora", default=os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/agora/target")),
        "release", "agora"))
    parser.add_argument("--cache", default=os.path.expanduser("~/.cache/agora/sparql_mix"))
    parser.add_argument("--out", help="results file (default benches/pages/results-<date>.md)")
    parser.add_argument("--json", help="also write the figures to this file as JSON (for benches/suite.py)")
    args = parser.parse_args()
    clients_list = [int(c) for c in args.clients.split(",")]
    for tool in (args.agora, "wrk"):
        if not shutil.which(tool) and not os.path.exists(tool):
            sys.exit(f"{tool} not found (cargo build --release; apt-get install wrk)")
    signal.signal(signal.SIGTERM, lambda *_: (mix.stop_all(), sys.exit(1)))
    try:
        return bench(args, clients_list)
    finally:
        mix.stop_all()


def bench(args, clients_list):
    cache, nquads, agora_dir = prepare(args)
    pages = requests_by_type(mix.sample_iris(nquads, args.iris, args.seed))
    records = len(mix.graph_names(nquads))
    quads = mix.count_lines(nquads)
    work = cache / "pages-run"
    work.mkdir(exist_ok=True)
    server = mix.start_agora(args.agora, agora_dir, work)
    results, first = {}, {}
    try:
        for name, paths in pages.items():
            times = []
            for path in paths:
                status, body, seconds = fetch(server.port, path)
                if status != 200 or not body.rstrip().endswith(b"</html>"):
                    sys.exit(f"{path} answered {status} ({len(body)} bytes): not a page")
                times.append(seconds)
            first[name] = (len(paths), sum(times) / len(times), max(times))
        everything = [path for paths in pages.values() for path in paths]
        random.Random(args.seed).shuffle(everything)
        configurations = {**pages, "all page types, mixed": everything}
        for name, paths in configurations.items():
            for clients in clients_list:
                request_file = work / "requests.txt"
                if args.warmup:
                    wrk(server.port, paths, clients, args.warmup, request_file)
                result = wrk(server.port, paths, clients, args.seconds, request_file)
                mix.log(f"  {name:28} c={clients:2}: {result['ok_per_s']:8.1f} pages/s "
                        f"p50 {result['p50_us'] / 1000:.2f} ms p99 {result['p99_us'] / 1000:.2f} ms "
                        f"errors {result['errors']}")
                results[(name, clients)] = result
    finally:
        server.stop()
    report = render(args, records, quads, configurations, clients_list, results, first)
    print(report)
    out = Path(args.out) if args.out else HERE / f"results-{datetime.date.today().isoformat()}.md"
    out.write_text(report + "\n")
    mix.log(f"written to {out}")
    if args.json:
        keys = ("ok_per_s", "p50_us", "p90_us", "p99_us", "max_us", "errors", "requests")
        rows = [{"page": name, "clients": clients, "requests_rotated": len(paths),
                 **{key: results[(name, clients)][key] for key in keys if key in results[(name, clients)]}}
                for name, paths in configurations.items() for clients in clients_list]
        Path(args.json).write_text(json.dumps({
            "triples": args.triples, "records": records, "quads": quads, "seconds": args.seconds,
            "clients": clients_list, "rows": rows,
            "first": {name: {"pages": n, "mean_ms": mean * 1000, "max_ms": worst * 1000}
                      for name, (n, mean, worst) in first.items()},
            "server_peak_rss_kib": server.peak_rss, "commit": mix.git_state(),
        }, indent=1) + "\n")
        mix.log(f"figures written to {args.json}")


def render(args, records, quads, configurations, clients_list, results, first):
    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    lines = [
        f"# Page latency ({now})",
        "",
        f"`python3 benches/pages.py --triples {args.triples} --seconds {args.seconds} "
        f"--warmup {args.warmup} --clients {args.clients} --iris {args.iris}`",
        "",
        f"- Agora at {mix.git_state()}, release build, `agora serve --no-demo` on an on-disk store; "
        f"wrk with {args.clients} connections, {args.seconds} s each after {args.warmup} s of warm-up; "
        f"{os.cpu_count()} cores shared by the server and wrk.",
        f"- Data: `agora generate --triples {args.triples} --seed {args.seed}`: {records:,} records, "
        f"{quads:,} quads.",
        "- A request is a GET with `Accept: text/html`; pages/s counts whole pages (a 200 ending in "
        "`</html>`); errors are other statuses, unfinished bodies, timeouts and socket errors.",
        "",
        "| page type | requests rotated | clients | pages/s | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, paths in configurations.items():
        for clients in clients_list:
            r = results[(name, clients)]
            lines.append(
                f"| {name} | {len(paths)} | {clients} | {r['ok_per_s']:,.1f} | {mix.ms(r['p50_us'])} | "
                f"{mix.ms(r['p90_us'])} | {mix.ms(r['p99_us'])} | {mix.ms(r['max_us'])} | {r['errors']} |")
    lines += [
        "",
        "First request of each distinct page, one at a time, before the load (cold caches):",
        "",
        "| page type | distinct pages | mean (ms) | max (ms) |",
        "|---|---:|---:|---:|",
    ]
    for name, (count, mean, worst) in first.items():
        lines.append(f"| {name} | {count} | {mean * 1000:.1f} | {worst * 1000:.1f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
