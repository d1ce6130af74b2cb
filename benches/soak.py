#!/usr/bin/env python3
"""Soak under mixed load: reads (wrk) and pushes (threads) against one real Agora (issue 9).

Run by hand for the full soak, or short in CI (tests/soak.rs runs it for 20 s):

    python3 benches/soak.py                              # 5 minutes, release binary
    python3 benches/soak.py --seconds 20 --agora target/debug/agora --report /tmp/soak.md

What it does:

1. Starts `agora serve` on a fresh data folder (a temporary folder; the demo data, plus
   `--triples` generated triples loaded with `agora load` first when asked), on a free loopback
   port, with a write token and `--max-queries-per-client` high enough for one load generator.
2. Checks every read request of the mix once: each must answer 200.
3. For `--seconds`: wrk (`apt-get install wrk`; benches/soak/soak.lua) rotates through the
   mix over `--connections` connections: SPARQL queries (the example queries of queries/, counts,
   a CONSTRUCT, a DESCRIBE), pages (home, lists, resource pages, search), feeds (LDES streams and
   pages, Atom, the catalogue) and `/api/records/{id}`. At the same time `--pushers` threads POST
   records with the token: new organisations (201), changes to ones they created (200), and every
   seventh an invalid one (422, refused by design). A thread samples the server's RSS from
   /proc/<pid>/status every second.
4. Afterwards: the store must hold exactly the acknowledged writes (every 201/200-acknowledged
   record with its last acknowledged label, and no other record of this run, refused ones
   included), then the server is stopped (SIGINT, graceful) and `agora check` must find the
   folder clean.
5. Does memory follow the data or the running time? Before the checks, the server idles for
   `--settle` seconds and its memory is taken ("after the soak, settled"). After `agora check`, a
   fresh server starts on the final folder, serves the same read mix for `--fresh-seconds`, idles
   for `--settle` seconds and its memory is taken too ("fresh, settled"). A server that kept
   something per request or per write holds more after the soak than the fresh one on the same
   data; one whose memory follows the data holds about the same.

Designed refusals are 503 (overload, time limit) and 429 (per-client limits); any other non-2xx
status, any socket error, a lost or extra record or a failed check makes the run fail (exit 1).
The report (requests, statuses, p50/p90/p99, memory at start, peak and end, records acknowledged
and found) is printed and written to benches/soak/results-<date>.md (or --report).
"""

import argparse
import datetime
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sparql_mix as mix  # noqa: E402  (the server wrapper, the helpers)

HERE = mix.REPO / "benches" / "soak"
LUA = HERE / "soak.lua"
TOKEN = "soak-secret-0123456789abcdef"
PREFIX = "https://agora.vlaanderen.be/id/organisatie/50a50000-0000-4000-8000-"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DESIGNED = {429, 503}
EXAMPLES = ["open-consultations", "overdue-reports", "proposals-past-term", "latest-meetings",
            "decisions-of-a-meeting", "decisions-informed-by-consultations", "report-answers-by-effect"]
HTML = "text/html"
RESULTS = mix.RESULTS_JSON
TURTLE = "text/turtle"


def http(port, path, accept="*/*", data=None, headers=None, timeout=120):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data,
                                     headers={"Accept": accept, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def select(port, query):
    status, body = http(port, "/sparql?" + urllib.parse.urlencode({"query": query}), RESULTS)
    if status != 200:
        raise RuntimeError(f"query failed ({status}): {query}\n{body[:500]!r}")
    return json.loads(body)["results"]["bindings"]


def sample_paths(port):
    """Resource pages of the demo data, by type."""
    types = {
        "consultatie": "https://agora.vlaanderen.be/ns/participatie#Consultatie",
        "vergadering": "https://data.vlaanderen.be/ns/besluitvorming#Vergaderactiviteit",
        "beslissing": "https://data.vlaanderen.be/ns/besluitvorming#Beslissingsactiviteit",
        "stuk": "https://data.vlaanderen.be/ns/dossier#Stuk",
        "burgervoorstel": "https://agora.vlaanderen.be/ns/participatie#Burgervoorstel",
    }
    paths = []
    for iri in types.values():
        rows = select(port, f"SELECT ?s WHERE {{ ?s a <{iri}> FILTER(STRSTARTS(STR(?s), "
                            f"'{mix.BASE}/id/')) }} ORDER BY ?s LIMIT 4")
        paths += [urllib.parse.urlparse(row["s"]["value"]).path for row in rows]
    return paths


def record_ids(port):
    rows = select(port, f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                        f"FILTER(STRSTARTS(STR(?g), '{mix.RECORD_GRAPH}')) }} GROUP BY ?g LIMIT 6")
    return [row["g"]["value"][len(mix.RECORD_GRAPH):] for row in rows]


def read_mix(port):
    """[(Accept, path)]: the read side of the soak."""
    sparql = []
    for name in EXAMPLES:
        text = (mix.REPO / "queries" / f"{name}.rq").read_text()
        sparql.append(text)
    sparql += [
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        f"SELECT ?o ?l WHERE {{ ?o a <http://www.w3.org/ns/org#Organization> ; <{SKOS}prefLabel> ?l }} "
        "ORDER BY DESC(?o) LIMIT 20",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://agora.vlaanderen.be/ns/participatie#Consultatie> ; ?p ?o }",
        "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n)",
    ]
    requests = []
    for query in sparql:
        accept = TURTLE if query.lstrip().startswith("CONSTRUCT") else RESULTS
        requests.append((accept, "/sparql?" + urllib.parse.urlencode({"query": query})))
    pages = ["/", "/consultaties", "/vergaderingen", "/voorstellen", "/verantwoording",
             "/zoeken?q=klimaat", "/zoeken?q=organisatie", "/consultaties?lang=en"]
    pages += sample_paths(port)
    requests += [(HTML, path) for path in pages]
    feeds = ["/ldes/consultaties", "/ldes/consultaties/0", "/ldes/vergaderingen/0",
             "/ldes/organisaties/0", "/ldes/burgervoorstellen"]
    requests += [("application/trig", path) for path in feeds]
    requests.append((TURTLE, "/catalogus"))
    requests += [("application/atom+xml", "/feeds/consultaties.atom"),
                 ("application/atom+xml", "/feeds/beslissingen.atom")]
    requests += [(TURTLE, f"/api/records/{rid}") for rid in record_ids(port)]
    return requests


# --- pushers -----------------------------------------------------------------------------------


def organisation(root, label, valid=True):
    # Without a skos:prefLabel an organisation violates shapes/organisaties.ttl: refused with 422.
    names = (f'<{SKOS}prefLabel> "{label}"@nl , "{label} (en)"@en' if valid
             else f'<{SKOS}altLabel> "{label}"@nl')
    return f"<{root}> a <http://www.w3.org/ns/org#Organization> ;\n  {names} .\n"


class Pusher(threading.Thread):
    """POSTs records until told to stop; keeps what was acknowledged and what was refused."""

    def __init__(self, index, port, stop):
        super().__init__(daemon=True)
        self.index, self.port, self.stop = index, port, stop
        self.acknowledged = {}  # root -> last acknowledged label
        self.refused = set()  # roots refused as designed (422, 429, 503) and never acknowledged
        self.uncertain = set()  # roots whose push got no answer (timeout, connection lost)
        self.statuses = {}
        self.latencies = []
        self.failures = []

    def push(self, root, label, valid):
        body = organisation(root, label, valid).encode()
        started = time.perf_counter()
        try:
            status, answer = http(self.port, "/api/records", "application/json", body,
                                  {"Content-Type": TURTLE, "Authorization": f"Bearer {TOKEN}"})
        except OSError as error:
            self.uncertain.add(root)
            self.failures.append(f"push {root}: no answer ({error})")
            return None
        self.latencies.append(time.perf_counter() - started)
        self.statuses[status] = self.statuses.get(status, 0) + 1
        return status, answer

    def run(self):
        number = 0
        created = []
        while not self.stop.is_set():
            number += 1
            if number % 7 == 0:
                root, label, valid, expect = f"{PREFIX}{self.index:04d}{number:08d}", f"ongeldig {number}", False, {422}
            elif number % 5 == 0 and created:
                root = created[(number // 5) % len(created)]
                label, valid, expect = f"gewijzigd {self.index}-{number}", True, {200}
            else:
                root, label, valid, expect = f"{PREFIX}{self.index:04d}{number:08d}", f"soak {self.index}-{number}", True, {201}
            answer = self.push(root, label, valid)
            if answer is None:
                continue
            status, text = answer
            if status in expect and status != 422:
                self.acknowledged[root] = label
                if status == 201:
                    created.append(root)
            elif status in expect or status in DESIGNED:
                if root not in self.acknowledged:
                    self.refused.add(root)
            else:
                if root not in self.acknowledged:
                    self.refused.add(root)
                self.failures.append(f"push {root}: {status} (expected {sorted(expect)}): {text[:300]!r}")


# --- memory ------------------------------------------------------------------------------------


class MemorySampler(threading.Thread):
    """Samples the server's memory every second, split by kind, with the data it holds then.

    From /proc/<pid>/status: VmRSS, RssAnon (heap, thread stacks, RocksDB's caches and
    memtables, tantivy's writer) and RssFile (mapped files: the binary, and the search index,
    which tantivy reads through mmap; page cache that the kernel can take back). Every tenth
    sample also: the resident part of the search index's mappings (/proc/<pid>/smaps), the
    bytes of the store and of the search index on disk, and how many writes were acknowledged
    so far (`progress()`), so that growth that follows the data can be told from a leak.
    """

    def __init__(self, pid, stop, data=None, progress=None):
        super().__init__(daemon=True)
        self.pid, self.stop, self.samples = pid, stop, []
        self.data, self.progress = data, progress or (lambda: 0)
        self.detail = []  # (seconds, search index mapped KiB, store bytes, index bytes, writes)

    def status(self):
        """{field: KiB} for the Vm*/Rss* lines of /proc/<pid>/status."""
        fields = {}
        try:
            with open(f"/proc/{self.pid}/status") as status:
                for line in status:
                    name, _, value = line.partition(":")
                    if name.startswith(("VmRSS", "RssAnon", "RssFile", "VmHWM")):
                        fields[name] = int(value.split()[0])
        except OSError:
            return None
        return fields

    def rss_kib(self):
        return (self.status() or {}).get("VmRSS")

    def search_mapped_kib(self):
        search = str(self.data / "search") if self.data else None
        total, current = 0, None
        try:
            with open(f"/proc/{self.pid}/smaps") as smaps:
                for line in smaps:
                    first = line.split(maxsplit=6)
                    if len(first) >= 5 and "-" in first[0] and not first[0].endswith(":"):
                        current = first[5] if len(first) > 5 else ""
                    elif line.startswith("Rss:") and search and current and current.startswith(search):
                        total += int(line.split()[1])
        except OSError:
            return None
        return total

    def folder_bytes(self):
        store = index = 0
        if not self.data:
            return 0, 0
        for root, _, files in os.walk(self.data):
            in_index = Path(root).is_relative_to(self.data / "search")
            for name in files:
                try:
                    size = os.path.getsize(os.path.join(root, name))
                except OSError:
                    continue
                if in_index:
                    index += size
                else:
                    store += size
        return store, index

    def run(self):
        started = time.time()
        while not self.stop.is_set():
            fields = self.status()
            now = time.time() - started
            if fields and "VmRSS" in fields:
                self.samples.append((now, fields["VmRSS"], fields.get("RssAnon", 0), fields.get("RssFile", 0)))
                if len(self.samples) % 10 == 1:
                    self.detail.append((now, self.search_mapped_kib() or 0, *self.folder_bytes(),
                                        self.progress()))
            self.stop.wait(1)


def descendant(pid, executable):
    """The process running `executable` among `pid` and its descendants (the server under a
    wrapper such as heaptrack), waiting up to 60 s for it."""
    target = os.path.realpath(executable)
    deadline = time.time() + 60
    while time.time() < deadline:
        queue = [pid]
        while queue:
            current = queue.pop()
            try:
                if os.path.realpath(f"/proc/{current}/exe") == target:
                    return current
                for task in os.listdir(f"/proc/{current}/task"):
                    with open(f"/proc/{current}/task/{task}/children") as children:
                        queue += [int(child) for child in children.read().split()]
            except OSError:
                continue
        time.sleep(0.2)
    sys.exit(f"no process runs {executable} under {pid}")


# --- the run -----------------------------------------------------------------------------------


def wrk(port, requests, connections, seconds, request_file):
    with open(request_file, "w") as f:
        for accept, path in requests:
            f.write(f"{accept}\t{path}\n")
    command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s",
               "--timeout", "60s", "-s", str(LUA), f"http://127.0.0.1:{port}/"]
    mix.log("$ " + " ".join(command))
    output = subprocess.run(command, check=True, capture_output=True, text=True,
                            env={**os.environ, "AGORA_SOAK_REQUESTS": str(request_file)}).stdout
    line = next(l for l in output.splitlines() if l.startswith("AGORA_SOAK "))
    result = json.loads(line[len("AGORA_SOAK "):])
    result["statuses"] = {int(k): v for k, v in result["statuses"].items()}
    return result


def settle(memory, seconds):
    """The server's memory ({VmRSS, RssAnon, RssFile} in KiB) after `seconds` without requests."""
    mix.log(f"idle for {seconds} s before the settled memory is taken")
    time.sleep(seconds)
    return memory.status()


def fresh_memory(args, command, env, requests, work):
    """A fresh server on the soaked folder, after the same read mix: (settled memory, peak RSS)."""
    server = mix.Server("agora", shlex.split(args.wrap) + command, "/sparql", work / "agora-fresh.log", env)
    pid = descendant(server.process.pid, args.agora) if args.wrap else server.process.pid
    stop = threading.Event()
    memory = MemorySampler(pid, stop)
    memory.start()
    wrk(server.port, requests, args.connections, args.fresh_seconds, work / "requests-fresh.txt")
    settled = settle(memory, args.settle)
    stop.set()
    memory.join(timeout=5)
    if pid != server.process.pid:
        os.kill(pid, signal.SIGINT)
    server.stop()
    return settled, max((sample[1] for sample in memory.samples), default=0)


def stored_organisations(port):
    rows = select(port, f"SELECT ?o ?l WHERE {{ ?o <{SKOS}prefLabel> ?l FILTER(STRSTARTS(STR(?o), '{PREFIX}')) "
                        f"FILTER(LANG(?l) = 'nl') }}")
    found = {}
    for row in rows:
        found.setdefault(row["o"]["value"], set()).add(row["l"]["value"])
    return found


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=300, help="length of the mixed load")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--pushers", type=int, default=2, help="threads pushing records")
    parser.add_argument("--triples", type=int, default=0,
                        help="generated triples loaded before serving (0: the demo data only)")
    parser.add_argument("--max-concurrent-queries", type=int, default=0,
                        help="Agora's --max-concurrent-queries (0: Agora's default)")
    parser.add_argument("--agora", default=os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/agora/target")), "release", "agora"))
    parser.add_argument("--report", help="report file (default benches/soak/results-<date>.md)")
    parser.add_argument("--wrap", default="",
                        help="command the server runs under, e.g. 'heaptrack -o /tmp/agora' "
                             "(memory is sampled from the agora process below it)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="environment of the server, e.g. MALLOC_ARENA_MAX=2 (repeatable)")
    parser.add_argument("--settle", type=int, default=30,
                        help="seconds the server idles before its settled memory is taken")
    parser.add_argument("--fresh-seconds", type=int, default=60,
                        help="seconds of the read mix a fresh server on the final data serves "
                             "before its memory is compared (0: no comparison)")
    parser.add_argument("--keep", action="store_true", help="keep the data folder and the server log")
    args = parser.parse_args()
    for tool in (args.agora, "wrk"):
        if not shutil.which(tool) and not os.path.exists(tool):
            sys.exit(f"{tool} not found (cargo build --release, or --agora PATH; apt-get install wrk)")
    signal.signal(signal.SIGTERM, lambda *_: (mix.stop_all(), sys.exit(1)))
    work = Path(tempfile.mkdtemp(prefix="agora-soak-"))
    try:
        return soak(args, work)
    finally:
        mix.stop_all()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            mix.log(f"data and log kept in {work}")


def soak(args, work):
    data = work / "data"
    if args.triples:
        nquads = work / "generated.nq"
        mix.run([args.agora, "generate", "--triples", args.triples, "--out", nquads], stdout=subprocess.DEVNULL)
        mix.run([args.agora, "load", nquads, "--data", data], stdout=subprocess.DEVNULL)
    command = [args.agora, "serve", "--data", data, "--bind", "127.0.0.1:{PORT}",
               "--token", f"soak:{TOKEN}", "--max-queries-per-client", 4 * args.connections + 8]
    if args.max_concurrent_queries:
        command += ["--max-concurrent-queries", args.max_concurrent_queries]
    env = {"RUST_LOG": "warn", **dict(pair.split("=", 1) for pair in args.env)}
    server = mix.Server("agora", shlex.split(args.wrap) + command, "/sparql", work / "agora.log", env)
    port = server.port
    pid = descendant(server.process.pid, args.agora) if args.wrap else server.process.pid

    requests = read_mix(port)
    bad = []
    for accept, path in requests:
        status, body = http(port, path, accept)
        if status != 200:
            bad.append(f"{status} {path[:120]}: {body[:200]!r}")
    if bad:
        sys.exit("requests of the mix do not answer 200:\n" + "\n".join(bad))
    mix.log(f"{len(requests)} distinct read requests, {args.pushers} pushers, {args.seconds} s")

    stop = threading.Event()
    stop_pushing = threading.Event()  # the pushers stop with the reads, the sampler after settling
    pushers = [Pusher(index, port, stop_pushing) for index in range(args.pushers)]
    memory = MemorySampler(pid, stop, data, lambda: sum(len(p.acknowledged) for p in pushers))
    memory.start()
    for pusher in pushers:
        pusher.start()
    started = time.time()
    reads = wrk(port, requests, args.connections, args.seconds, work / "requests.txt")
    stop_pushing.set()
    for pusher in pushers:
        pusher.join(timeout=180)
    elapsed = time.time() - started
    settled = settle(memory, args.settle)
    stop.set()
    memory.join(timeout=5)

    acknowledged, refused, uncertain = {}, set(), set()
    failures = []
    for pusher in pushers:
        acknowledged.update(pusher.acknowledged)
        refused |= pusher.refused
        uncertain |= pusher.uncertain
        failures += pusher.failures
    found = stored_organisations(port)
    missing = sorted(root for root in acknowledged if root not in found)
    wrong = sorted(root for root, label in acknowledged.items()
                   if root in found and found[root] != {label})
    unexpected = sorted(root for root in found if root not in acknowledged and root not in uncertain)
    if pid != server.process.pid:
        os.kill(pid, signal.SIGINT)  # a wrapper does not pass the signal on
    server.stop()
    check = subprocess.run([args.agora, "check", "--data", str(data)], capture_output=True, text=True)
    check_line = next((l for l in check.stdout.splitlines() if l.startswith(("clean:", "PROBLEMS:"))),
                      check.stdout.strip()[-300:] or check.stderr.strip()[-300:])

    fresh = None
    if args.fresh_seconds:
        fresh = fresh_memory(args, command, env, requests, work)

    undesigned = {status: count for status, count in reads["statuses"].items()
                  if not 200 <= status < 300 and status not in DESIGNED}
    socket_errors = sum(reads[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))
    if undesigned:
        failures.append(f"reads answered undesigned statuses {undesigned}")
    if socket_errors:
        failures.append(f"{socket_errors} socket errors or time-outs in the reads")
    if missing:
        failures.append(f"{len(missing)} acknowledged records missing, e.g. {missing[:3]}")
    if wrong:
        failures.append(f"{len(wrong)} records without their last acknowledged label, e.g. {wrong[:3]}")
    if unexpected:
        failures.append(f"{len(unexpected)} records stored that were never acknowledged, e.g. {unexpected[:3]}")
    if check.returncode != 0:
        failures.append(f"agora check exited {check.returncode}: {check.stdout[-2000:]}{check.stderr[-1000:]}")

    push_statuses = {}
    latencies = []
    for pusher in pushers:
        latencies += pusher.latencies
        for status, count in pusher.statuses.items():
            push_statuses[status] = push_statuses.get(status, 0) + count
    report = render(args, requests, reads, push_statuses, latencies, memory, elapsed, settled, fresh,
                    acknowledged, found, refused, uncertain, missing, wrong, unexpected, check_line, failures)
    print(report)
    out = Path(args.report) if args.report else HERE / f"results-{datetime.date.today().isoformat()}.md"
    out.write_text(report)
    mix.log(f"written to {out}")
    return 1 if failures else 0


def render(args, requests, reads, push_statuses, latencies, memory, elapsed, settled, fresh, acknowledged,
           found, refused, uncertain, missing, wrong, unexpected, check_line, failures):
    def mib(kib):
        return f"{kib / 1024:.0f} MiB"

    samples = memory.samples
    rss = [sample[1] for sample in samples]
    quarter = max(1, -(-len(rss) // 4))
    lines = [
        f"# Soak under mixed load, {datetime.datetime.now().isoformat(timespec='minutes')}",
        "",
        f"`python3 benches/soak.py --seconds {args.seconds} --connections {args.connections} "
        f"--pushers {args.pushers} --triples {args.triples}"
        + "".join(f" --env {pair}" for pair in args.env)
        + (f" --wrap '{args.wrap}'" if args.wrap else "")
        + f"` on {os.cpu_count()} cores; "
        f"binary `{args.agora}`, commit {mix.git_state()}.",
        "",
        f"Verdict: **{'FAILED' if failures else 'passed'}**"
        + ("" if not failures else ": " + "; ".join(failures)),
        "",
        "## Reads (wrk)",
        "",
        f"{len(requests)} distinct requests (SPARQL, pages, feeds, records) over {args.connections} connections.",
        "",
        "| requests | per second | p50 ms | p90 ms | p99 ms | max ms | statuses | socket errors |",
        "|---|---|---|---|---|---|---|---|",
        f"| {reads['requests']:,} | {reads['requests'] / (reads['duration_us'] / 1e6):,.1f} | "
        f"{reads['p50_us'] / 1000:.1f} | {reads['p90_us'] / 1000:.1f} | {reads['p99_us'] / 1000:.1f} | "
        f"{reads['max_us'] / 1000:.0f} | "
        + ", ".join(f"{s}: {c:,}" for s, c in sorted(reads["statuses"].items())) + " | "
        f"{sum(reads[k] for k in ('connect_errors', 'read_errors', 'write_errors', 'timeouts'))} |",
        "",
        "## Pushes",
        "",
        "| pushes | statuses | p50 ms | p99 ms |",
        "|---|---|---|---|",
        f"| {sum(push_statuses.values()):,} | " + ", ".join(f"{s}: {c:,}" for s, c in sorted(push_statuses.items()))
        + f" | {percentile(latencies, 0.5) * 1000:.1f} | {percentile(latencies, 0.99) * 1000:.1f} |",
        "",
        "201 created, 200 changed (both acknowledged), 422 refused by design (invalid records); "
        "429 and 503 would be designed refusals too.",
        "",
        "## Records",
        "",
        f"- acknowledged: {len(acknowledged):,} records; found in the store: {len(found):,}",
        f"- missing: {len(missing)}; without their last acknowledged label: {len(wrong)}; "
        f"stored but never acknowledged: {len(unexpected)}; refused and absent: "
        f"{sum(1 for r in refused if r not in found):,} of {len(refused):,}; no answer: {len(uncertain)}",
        f"- `agora check` on the stopped store: {check_line}",
        "",
        "## Memory (server RSS)",
        "",
    ]
    if rss:
        lines += [
            f"- start {mib(rss[0])}, peak {mib(max(rss))}, end {mib(rss[-1])} ({len(rss)} samples over "
            f"{elapsed:.0f} s)",
            f"- mean by quarter of the run: " + ", ".join(
                mib(sum(part) / len(part)) for part in
                (rss[i:i + quarter] for i in range(0, len(rss), quarter)) if part),
            "",
            "By quarter: mean RSS and its anonymous part (heap, RocksDB's caches and memtables) and "
            "file-backed part (the binary, the search index's mappings), then at the quarter's end "
            "the search index's resident mappings, the records acknowledged so far and the store "
            "and index on disk.",
            "",
            "| quarter | RSS | anonymous | file-backed | index mapped | records | store on disk | index on disk |",
            "|---|---|---|---|---|---|---|---|",
        ]
        rows = []
        for number, start in enumerate(range(0, len(samples), quarter), 1):
            part = samples[start:start + quarter]
            detail = [d for d in memory.detail if d[0] <= part[-1][0]] or memory.detail[:1]
            mapped, store, index, records = detail[-1][1:] if detail else (0, 0, 0, 0)
            mean = [sum(sample[k] for sample in part) / len(part) for k in (1, 2, 3)]
            rows.append((mean, records))
            lines.append(f"| {number} | {mib(mean[0])} | {mib(mean[1])} | {mib(mean[2])} | {mib(mapped)} | "
                         f"{records:,} | {store / 2**20:.0f} MiB | {index / 2**20:.1f} MiB |")
        (first, first_records), (last, last_records) = rows[0], rows[-1]
        if len(rows) > 1 and last_records > first_records:
            lines += ["", f"- anonymous memory, first to last quarter: {mib(first[1])} to {mib(last[1])}, "
                          f"{(last[1] - first[1]) / 1024 / ((last_records - first_records) / 1000):.1f} MiB "
                          "per 1,000 records acknowledged in between"]
    else:
        lines.append("- no samples (/proc not readable)")
    if settled:
        lines += ["", "### Memory that follows the data, or the running time", "",
                  "Memory after idling "
                  f"{args.settle} s (freed pages have had time to go back to the system, though jemalloc only "
                  "returns them on its own with its background thread): the soaked server, "
                  f"then a fresh server started on the soaked folder after {args.fresh_seconds} s of the same "
                  "read mix. What the soak's running time left behind is the difference.", "",
                  "| server | RSS | anonymous | file-backed | peak RSS |", "|---|---|---|---|---|",
                  f"| after the soak ({elapsed:.0f} s), settled | {mib(settled.get('VmRSS', 0))} | "
                  f"{mib(settled.get('RssAnon', 0))} | {mib(settled.get('RssFile', 0))} | {mib(max(rss, default=0))} |"]
        if fresh and fresh[0]:
            fresh_settled, fresh_peak = fresh
            lines.append(f"| fresh on the same data ({args.fresh_seconds} s of reads), settled | "
                         f"{mib(fresh_settled.get('VmRSS', 0))} | {mib(fresh_settled.get('RssAnon', 0))} | "
                         f"{mib(fresh_settled.get('RssFile', 0))} | {mib(fresh_peak)} |")
            lines += ["", f"- left behind by the soak (anonymous, soaked minus fresh): "
                          f"{(settled.get('RssAnon', 0) - fresh_settled.get('RssAnon', 0)) / 1024:+.0f} MiB"]
    lines += ["", "## Failures", ""] + ([f"- {f}" for f in failures[:50]] or ["none"]) + [""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
