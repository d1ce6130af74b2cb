#!/usr/bin/env python3
"""SPARQL query mix against Agora and a plain `oxigraph serve` with the same data (issue 5, Speed).

Run by hand, not in CI:

    python3 benches/sparql_mix.py                  # about 12 minutes the first time, 7 after
    AGORA_BENCH_MIX_SECONDS=5 AGORA_BENCH_MIX_WARMUP=2 python3 benches/sparql_mix.py   # quick

What it does:

1. Data (cached in ~/.cache/agora/sparql_mix/t{triples}-s{seed}, reused by later runs; delete the
   folder or pass --fresh to rebuild): `agora generate` writes N-Quads, `agora load` loads them
   into an Agora data folder. Agora is started once with a long time limit to export its published
   default graph (CONSTRUCT, N-Triples) and its public named graphs that are not in the generated
   file (the history and reference graphs). Oxigraph gets the same quads: the export into its
   default graph (what Agora's default graph is: the published data, materialised) and the
   generated file plus the exported graphs as named graphs, so both stores hold the same dataset
   and `oxigraph serve` needs no `--union-default-graph`.
2. Requests: every `queries/*.rq` as found at run time. A query that says "Substitute ?resource"
   runs once per sampled IRI with `?resource` replaced (as the pages do); a query whose `VALUES`
   names one IRI `{base}/id/{type}/{uuid}` runs once per sampled IRI of that type. Point lookups
   are `SELECT * { <iri> ?p ?o }` and `DESCRIBE <iri>` over IRIs sampled from the data
   (a few per type, seeded). Everything is a GET `?query=` with `Accept:
   application/sparql-results+json` (DESCRIBE: `application/n-triples`).
3. Before timing, each distinct request is sent once to each server; result counts (solutions,
   boolean, triples) must match, and a warning is printed per mismatch.
4. Timing: wrk (`apt-get install wrk`, `benches/sparql_mix/rotate.lua` rotates through the list)
   at 2 and 16 connections, each server alone on the machine, a warm-up before each measurement.
   Configurations: the whole mix, the `.rq` queries only, the point lookups only, and `ASK {}`
   (the cost of HTTP and the protocol without evaluation). `--per-query` adds a row per `.rq`.

Both servers get the same time limit (Agora's default, 10 s). Agora's `--max-concurrent-queries`
is left at its default (the number of cores) unless `--agora-max-concurrent N` is given; requests
answered with an error status are counted apart and not in req/s.

The table is printed and written to benches/sparql_mix/results-<date>.md.
"""

import argparse
import datetime
import hashlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HERE = REPO / "benches" / "sparql_mix"
LUA = HERE / "rotate.lua"
BASE = "https://agora.vlaanderen.be"
RESULTS_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
TIME_LIMIT_S = 10
# How long the answer check waits for one answer (Agora stops at TIME_LIMIT_S; oxigraph never).
ANSWER_WAIT_S = 300
RECORD_GRAPH = f"{BASE}/graph/record/"

SERVERS = []  # running Popen objects, stopped at exit


def log(message):
    print(message, file=sys.stderr, flush=True)


def run(command, **kwargs):
    return run_measured(command, **kwargs)[0]


def run_measured(command, **kwargs):
    """Runs a command to its end: (wall-clock seconds, peak resident set size in KiB)."""
    log("$ " + " ".join(str(part) for part in command))
    started = time.perf_counter()
    process = subprocess.Popen([str(part) for part in command], **kwargs)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise subprocess.CalledProcessError(process.returncode, command)
    return time.perf_counter() - started, usage.ru_maxrss


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- servers -----------------------------------------------------------------------------------


class Server:
    """A server process on 127.0.0.1 with its SPARQL endpoint URL."""

    def __init__(self, name, command, path, log_file, env=None):
        self.name = name
        self.port = free_port()
        self.path = path
        self.url = f"http://127.0.0.1:{self.port}{path}"
        command = [str(part).replace("{PORT}", str(self.port)) for part in command]
        log("$ " + " ".join(command))
        self.log = open(log_file, "w")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT,
                                        env={**os.environ, **(env or {})})
        SERVERS.append(self.process)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"{name} exited at start; see {log_file}")
            try:
                status, _, _ = self.get("ASK {}", RESULTS_JSON, timeout=2)
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.3)
        else:
            sys.exit(f"{name} did not answer within 120 s; see {log_file}")

    def request_path(self, query):
        return self.path + "?" + urllib.parse.urlencode({"query": query})

    def get(self, query, accept, timeout=60):
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{self.request_path(query)}", headers={"Accept": accept}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                try:
                    body = response.read()
                except http.client.IncompleteRead as cut:
                    # The server stopped a streamed answer (Agora does at its time limit, after
                    # the head is sent): an unfinished body, reported as such by result_summary.
                    body = cut.partial
                return response.status, response.headers.get("Content-Type", ""), body
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Content-Type", ""), error.read()
        except TimeoutError:
            # No answer in `timeout` seconds (oxigraph serve has no time limit): reported as
            # such by result_summary rather than ending the run.
            return None, "", b""

    def download(self, query, out, timeout=1800):
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{self.request_path(query)}", headers={"Accept": NTRIPLES}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response, open(out, "wb") as f:
            shutil.copyfileobj(response, f, 1 << 20)

    def peak_rss_kib(self):
        """The process's peak resident set size so far (VmHWM), or None once it has ended."""
        try:
            with open(f"/proc/{self.process.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def stop(self):
        self.peak_rss = self.peak_rss_kib()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        SERVERS.remove(self.process)
        self.log.close()


def stop_all(*_):
    for process in list(SERVERS):
        if process.poll() is None:
            process.kill()
            process.wait()


def start_agora(agora, data_dir, logs, timeout=TIME_LIMIT_S, max_concurrent=None, preload=None):
    # Every load-tool connection comes from 127.0.0.1: Agora's per-client share (half the slots
    # by default) would refuse most of them with 429, which is right for the public but would
    # measure the limit, not the endpoint. The bound on queries evaluated at once still holds.
    # --no-dumps: the dumps Agora writes at start (minutes at a few million triples) would run
    # beside the measurement, and `oxigraph serve` has no such work.
    command = [agora, "serve", "--data", data_dir, "--no-demo", "--no-dumps", "--bind", "127.0.0.1:{PORT}",
               "--query-timeout", timeout, "--max-queries-per-client", "100000"]
    if max_concurrent:
        command += ["--max-concurrent-queries", max_concurrent]
    env = {"LD_PRELOAD": str(preload)} if preload else None
    return Server("agora", command, "/sparql", logs / "agora.log", env)


def start_oxigraph(oxigraph, data_dir, logs):
    # No --timeout-s: oxigraph serve 0.5.13 starts a thread per query that sleeps for the whole
    # time limit, so at a few hundred queries a second it runs out of threads ("Resource
    # temporarily unavailable", then a panic). Without it a query runs to its end.
    command = [oxigraph, "serve", "--location", data_dir, "--bind", "127.0.0.1:{PORT}"]
    return Server("oxigraph", command, "/query", logs / "oxigraph.log")


# --- data --------------------------------------------------------------------------------------


def prepare_data(args, agora, oxigraph):
    cache = Path(args.cache) / f"t{args.triples}-s{args.seed}"
    if args.fresh and cache.exists():
        shutil.rmtree(cache)
    cache.mkdir(parents=True, exist_ok=True)
    facts = {}
    facts_file = cache / "facts.json"
    if facts_file.exists():
        facts = json.loads(facts_file.read_text())
    nquads = cache / "data.nq"
    if not (cache / "generated.done").exists():
        run([agora, "generate", "--triples", args.triples, "--seed", args.seed, "--out", nquads])
        (cache / "generated.done").touch()
    agora_dir = cache / "agora"
    if not (cache / "agora.done").exists():
        shutil.rmtree(agora_dir, ignore_errors=True)
        facts["agora_load_s"], facts["agora_load_rss_kib"] = run_measured(
            [agora, "load", nquads, "--data", agora_dir])
        (cache / "agora.done").touch()
    exports = cache / "exports"
    if not (cache / "exports.done").exists():
        shutil.rmtree(exports, ignore_errors=True)
        exports.mkdir()
        server = start_agora(agora, agora_dir, cache, timeout=1800)
        try:
            started = time.perf_counter()
            server.download("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", exports / "default.nt")
            facts["export_s"] = time.perf_counter() - started
            _, _, body = server.get("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", RESULTS_JSON)
            graphs = [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]]
            others = [g for g in graphs if not g.startswith(RECORD_GRAPH)]
            facts["agora_named_graphs"] = len(graphs)
            facts["other_graphs"] = others
            for index, graph in enumerate(others):
                server.download(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                                exports / f"graph-{index}.nt")
        finally:
            server.stop()
        (cache / "exports.done").touch()
    ox_dir = cache / "oxigraph"
    if not (cache / "oxigraph.done").exists():
        shutil.rmtree(ox_dir, ignore_errors=True)
        load_s, rss = run_measured([oxigraph, "load", "--location", ox_dir, "--file", exports / "default.nt"])
        more_s, more_rss = run_measured([oxigraph, "load", "--location", ox_dir, "--file", nquads])
        load_s, rss = load_s + more_s, max(rss, more_rss)
        for index, graph in enumerate(facts["other_graphs"]):
            more_s, more_rss = run_measured([oxigraph, "load", "--location", ox_dir, "--file",
                                             exports / f"graph-{index}.nt", "--graph", graph])
            load_s, rss = load_s + more_s, max(rss, more_rss)
        facts["oxigraph_load_s"] = load_s
        facts["oxigraph_load_rss_kib"] = rss
        (cache / "oxigraph.done").touch()
    if "records" not in facts:
        facts["records"] = len(graph_names(nquads))
        facts["generated_quads"] = count_lines(nquads)
        facts["default_graph_triples"] = count_lines(exports / "default.nt")
        facts["other_graph_triples"] = sum(
            count_lines(exports / f"graph-{i}.nt") for i in range(len(facts["other_graphs"])))
        facts["agora_store_bytes"] = folder_bytes(agora_dir)
        facts["oxigraph_store_bytes"] = folder_bytes(ox_dir)
    facts_file.write_text(json.dumps(facts, indent=1))
    return cache, nquads, agora_dir, ox_dir, facts


def count_lines(path):
    with open(path, "rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


def folder_bytes(path):
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def graph_names(nquads):
    names = set()
    with open(nquads, encoding="utf-8") as f:
        for line in f:
            names.add(line.rstrip(" .\n").rsplit(" ", 1)[-1])
    return names


SUBJECT = re.compile(r"^<(" + re.escape(BASE) + r"/id/([a-z-]+)/[^>]+)>")


def sample_iris(nquads, per_type, seed):
    """A seeded sample of subject IRIs per `{base}/id/{type}/` segment."""
    by_type = {}
    with open(nquads, encoding="utf-8") as f:
        for line in f:
            match = SUBJECT.match(line)
            if match:
                by_type.setdefault(match.group(2), set()).add(match.group(1))
    rng = random.Random(seed)
    return {
        kind: rng.sample(sorted(iris), min(per_type, len(iris)))
        for kind, iris in sorted(by_type.items())
    }


# --- requests ----------------------------------------------------------------------------------

# A page query declares its parameters in its header ("# Parameters (bound by the page): ?meeting
# (IRI), ?lang (...)") and in a one-row VALUES block of UNDEFs; the page binds them in the algebra
# (src/sparql/parameters.rs), which is the same as writing the terms into that block.
PARAMETERS = re.compile(r"^# Parameters \(([^)]*)\):(.*?)^# Bindings:", re.S | re.M)
IRI_PARAMETERS = re.compile(r"((?:\?\w+[\s,]*)+)\(IRIs?\)")
VALUES_ROW = re.compile(r"VALUES\s*\(([^)]*)\)\s*\{\s*\(([^)]*)\)\s*\}")
VALUES_ONE = re.compile(r"VALUES\s+(\?\w+)\s*\{\s*(\S+)\s*\}")
# Parameter names and the `{base}/id/{type}/` whose IRIs they take.
PARAMETER_TYPES = {
    "meeting": "vergaderactiviteit", "consultation": "consultatie",
    "decision": "beslissingsactiviteit", "proposal": "burgervoorstel",
    "report": "consultatieverslag", "item": "agendapunt", "agenda": "agenda",
    "case": "besluitvormingsaangelegenheid", "document": "stuk",
}


def parameters_of(text):
    """(IRI parameter names, whether they may stay UNDEF, whether UNDEF lists all) or None."""
    match = PARAMETERS.search(text)
    if not match:
        return None
    words = " ".join(line.lstrip("# ") for line in (match.group(1) + match.group(2)).splitlines())
    names = [name.lstrip("?") for group in IRI_PARAMETERS.findall(words)
             for name in re.findall(r"\?\w+", group)]
    return names, "may stay UNDEF" in words, "UNDEF lists all" in words


def bind(text, values):
    """Writes `values` ({name: IRI}) into the query's one-row VALUES block in place of UNDEF."""
    row = VALUES_ROW.search(text)
    if row:
        names = [n.lstrip("?") for n in row.group(1).split()]
        cells = row.group(2).split()
        cells = [f"<{values[n]}>" if n in values and c == "UNDEF" else c for n, c in zip(names, cells)]
        block = f"VALUES ({row.group(1)}) {{ ({' '.join(cells)}) }}"
        return text[:row.start()] + block + text[row.end():]
    one = VALUES_ONE.search(text)
    if one and one.group(1).lstrip("?") in values and one.group(2) == "UNDEF":
        block = f"VALUES {one.group(1)} {{ <{values[one.group(1).lstrip('?')]}> }}"
        return text[:one.start()] + block + text[one.end():]
    return None


def properties_of(nquads, iris):
    """For each IRI, the properties it is the subject of (with an IRI value) and the object of."""
    wanted = set(iris)
    out, into = {}, {}
    with open(nquads, encoding="utf-8") as f:
        for line in f:
            subject, predicate, rest = line.split(" ", 2)
            if subject[1:-1] in wanted and rest.startswith("<"):
                out.setdefault(subject[1:-1], set()).add(predicate[1:-1])
            if rest.startswith("<"):
                obj = rest.split(" ", 1)[0][1:-1]
                if obj in wanted:
                    into.setdefault(obj, set()).add(predicate[1:-1])
    return out, into


def build_requests(iris, rounds, seed, nquads):
    """Returns {configuration: [(label, accept, query)]}, the variants per .rq, notes."""
    rng = random.Random(seed)
    everything = [iri for kind in sorted(iris) for iri in iris[kind]]
    rng.shuffle(everything)
    sampled = everything[:rounds]
    out_props, in_props = properties_of(nquads, sampled)
    notes = []
    per_query = {}
    for path in sorted((REPO / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        name = path.stem
        parameters = parameters_of(text)
        if parameters is None or not parameters[0]:
            per_query[name] = [(name, RESULTS_JSON, text)]
            notes.append(f"`{name}.rq`: as written")
            continue
        names, optional, lists_all = parameters
        if optional:
            per_query[name] = [(name, RESULTS_JSON, text)]
            notes.append(f"`{name}.rq`: as written, its optional filters ({', '.join('?' + n for n in names)}) left UNDEF as the page does unfiltered")
            continue
        variants, unbound = [], set()
        incoming = re.search(r"\?\w+\s+\?property\s+\?resource\b", text) is not None
        for index in range(rounds):
            values = {}
            for parameter in names:
                if parameter == "resource":
                    values[parameter] = sampled[index % len(sampled)]
                elif parameter == "property":
                    resource = values.get("resource", sampled[index % len(sampled)])
                    pool = sorted((in_props if incoming else out_props).get(resource, ()))
                    if pool:
                        values[parameter] = pool[index % len(pool)]
                    else:
                        unbound.add(parameter)
                elif PARAMETER_TYPES.get(parameter) in iris:
                    pool = iris[PARAMETER_TYPES[parameter]]
                    values[parameter] = pool[index % len(pool)]
                else:
                    unbound.add(parameter)
            bound = bind(text, values)
            if bound is None:
                break
            variants.append((name, RESULTS_JSON, bound))
        if not variants:
            per_query[name] = [(name, RESULTS_JSON, text)]
            notes.append(f"`{name}.rq`: as written (its VALUES block could not be bound)")
            continue
        per_query[name] = variants
        what = ", ".join(f"?{n}" for n in names if n not in unbound)
        note = f"`{name}.rq`: {what} bound to {rounds} sampled IRIs in turn"
        if unbound:
            note += f" ({', '.join('?' + n for n in sorted(unbound))} left UNDEF where nothing fits)"
        if lists_all:
            per_query[f"{name} (all)"] = [(f"{name} (all)", RESULTS_JSON, text)]
            note += f"; also as written (UNDEF: lists all), as `{name} (all)`"
        notes.append(note)
    lookups = []
    for iri in sampled:
        lookups.append(("SELECT * { <iri> ?p ?o }", RESULTS_JSON, f"SELECT * WHERE {{ <{iri}> ?p ?o }}"))
        lookups.append(("DESCRIBE <iri>", NTRIPLES, f"DESCRIBE <{iri}>"))
    # The .rq part of the mix: one round sends every query once (a bound one with the round's
    # IRI), so each .rq weighs the same whatever its number of variants.
    rq = []
    for index in range(rounds):
        for name in sorted(per_query):
            variants = per_query[name]
            rq.append(variants[index % len(variants)])
    mix = list(rq) + lookups
    rng.shuffle(mix)
    rng.shuffle(rq)
    # Light configurations first: oxigraph serve has no time limit here and keeps evaluating a
    # heavy query after wrk has gone, which would eat into the next configuration's measurement.
    configurations = {
        "ASK {}": [("ASK {}", RESULTS_JSON, "ASK {}")],
        "point lookups": lookups,
        "queries/*.rq": rq,
        "mix (.rq + lookups)": mix,
    }
    return configurations, per_query, notes


# --- result checks -----------------------------------------------------------------------------


def result_summary(status, content_type, body):
    """(count, digest) of a response: solutions, boolean or triples."""
    if status is None:
        return ("no answer within the check's wait", "")
    if status != 200:
        return (f"HTTP {status}", "")
    if content_type.startswith(RESULTS_JSON):
        try:
            data = json.loads(body)
        except ValueError:
            return ("unfinished body: " + body[-60:].decode("utf-8", "replace"), "")
        if "boolean" in data:
            return (str(data["boolean"]).lower(), "")
        rows = data["results"]["bindings"]
        canonical = sorted(json.dumps(r, sort_keys=True) for r in rows
                           if "bnode" not in json.dumps(r))
        return (len(rows), hashlib.sha256("\n".join(canonical).encode()).hexdigest()[:12])
    lines = [line for line in body.decode("utf-8").splitlines() if line.strip()]
    if lines and not lines[-1].rstrip().endswith("."):
        return ("unfinished body: " + lines[-1][-60:], "")
    canonical = sorted(line for line in lines if "_:" not in line)
    return (len(lines), hashlib.sha256("\n".join(canonical).encode()).hexdigest()[:12])


def answers(server, requests):
    seen = {}
    for label, accept, query in requests:
        if query not in seen:
            started = time.perf_counter()
            # A generous wait: this checks answers, not speed, and oxigraph serve has no time
            # limit (at 3 M triples on a loaded machine, one answer took over 40 s).
            status, content_type, body = server.get(query, accept, timeout=ANSWER_WAIT_S)
            seen[query] = (label, result_summary(status, content_type, body),
                           time.perf_counter() - started)
    return seen


# --- load tool ---------------------------------------------------------------------------------


def wrk(server, requests, clients, seconds, request_file):
    with open(request_file, "w") as f:
        for _, accept, query in requests:
            f.write(f"{accept}\t{server.request_path(query)}\n")
    threads = min(2, clients)
    command = ["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{seconds}s",
               "--timeout", f"{TIME_LIMIT_S + 20}s", "-s", str(LUA),
               f"http://127.0.0.1:{server.port}/"]
    output = subprocess.run(command, check=True, capture_output=True, text=True,
                            env={**os.environ, "SPARQL_MIX_REQUESTS": str(request_file)}).stdout
    line = next(l for l in output.splitlines() if l.startswith("SPARQL_MIX "))
    result = json.loads(line[len("SPARQL_MIX "):])
    errors = (result["status_errors"] + result["truncated"] + result["connect_errors"] + result["read_errors"]
              + result["write_errors"] + result["timeouts"])
    result["errors"] = errors
    result["ok_per_s"] = (result["requests"] - result["status_errors"] - result["truncated"]) / (result["duration_us"] / 1e6)
    return result


def measure(server, configurations, clients_list, seconds, warmup, work):
    results = {}
    for name, requests in configurations.items():
        for clients in clients_list:
            request_file = work / f"requests-{server.name}.txt"
            if warmup:
                wrk(server, requests, clients, warmup, request_file)
            result = wrk(server, requests, clients, seconds, request_file)
            log(f"  {server.name:8} {name:32} c={clients:2}: {result['ok_per_s']:9.1f} req/s "
                f"p50 {result['p50_us'] / 1000:.2f} ms p99 {result['p99_us'] / 1000:.2f} ms "
                f"errors {result['errors']}")
            results[(name, clients)] = result
    return results


# Configurations cheap enough that a run ends when wrk stops (no query left evaluating), so both
# servers can be up at once and measured in turns.
LIGHT = ("ASK {}", "point lookups")


def alternate(agora, oxigraph, configurations, clients_list, rounds, seconds, warmup, work):
    """Measures the light configurations on both servers in turns, Agora then oxigraph, `rounds`
    times: the machine's drift over minutes (another VM, the CPU clock) moves both alike, where
    measuring one server after the other puts it in the ratio. Per (configuration, clients):
    each round's req/s for both and the median of the rounds' ratios."""
    results = {}
    for name in [n for n in configurations if n in LIGHT]:
        for clients in clients_list:
            turns = []
            for _ in range(rounds):
                pair = []
                for server in (agora, oxigraph):
                    request_file = work / f"requests-{server.name}.txt"
                    if warmup:
                        wrk(server, configurations[name], clients, warmup, request_file)
                    pair.append(wrk(server, configurations[name], clients, seconds, request_file))
                turns.append(pair)
            ratios = sorted(a["ok_per_s"] / o["ok_per_s"] for a, o in turns if o["ok_per_s"])
            median = ratios[len(ratios) // 2] if ratios else None
            log(f"  in turns {name:23} c={clients:2}: ratios {[round(r, 2) for r in ratios]}")
            results[(name, clients)] = {
                "agora_ok_per_s": [a["ok_per_s"] for a, _ in turns],
                "oxigraph_ok_per_s": [o["ok_per_s"] for _, o in turns],
                "agora_p50_us": [a["p50_us"] for a, _ in turns],
                "oxigraph_p50_us": [o["p50_us"] for _, o in turns],
                "agora_p99_us": [a["p99_us"] for a, _ in turns],
                "oxigraph_p99_us": [o["p99_us"] for _, o in turns],
                "median_ratio": median,
            }
    return results


def turns_table(results):
    lines = [
        "| configuration | clients | req/s Agora (each round) | req/s oxigraph (each round) | median ratio |",
        "|---|---:|---|---|---:|",
    ]
    for (name, clients), row in results.items():
        rate = lambda values: " / ".join(f"{v:,.0f}" for v in values)
        flag = " ⚠" if row["median_ratio"] is not None and row["median_ratio"] < 0.9 else ""
        median = f"{row['median_ratio']:.2f}{flag}" if row["median_ratio"] is not None else "–"
        lines.append(f"| {name} | {clients} | {rate(row['agora_ok_per_s'])} | "
                     f"{rate(row['oxigraph_ok_per_s'])} | {median} |")
    return "\n".join(lines)


# --- report ------------------------------------------------------------------------------------


def ms(us):
    return f"{us / 1000:.2f}" if us < 100_000 else f"{us / 1000:.0f}"


def table(configurations, clients_list, variants, agora_results, ox_results):
    lines = [
        "| configuration | clients | Agora slots | req/s Agora | req/s oxigraph | Agora/oxigraph | p50 Agora (ms) | p50 oxigraph (ms) | p99 Agora (ms) | p99 oxigraph (ms) | errors Agora | errors oxigraph |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = [(name, clients, variant) for name in configurations for clients in clients_list
            for variant in variants]
    for name, clients, variant in rows:
            a, o = agora_results[variant][(name, clients)], ox_results[(name, clients)]
            ratio = a["ok_per_s"] / o["ok_per_s"] if o["ok_per_s"] else float("nan")
            flag = "" if ratio >= 0.9 else " ⚠"
            lines.append(
                f"| {name} | {clients} | {variant} | {a['ok_per_s']:,.1f} | {o['ok_per_s']:,.1f} | {ratio:.2f}{flag} | "
                f"{ms(a['p50_us'])} | {ms(o['p50_us'])} | {ms(a['p99_us'])} | {ms(o['p99_us'])} | "
                f"{a['errors']} | {o['errors']} |")
    return "\n".join(lines)


def git_state():
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "src"],
                           capture_output=True, text=True).stdout.strip()
    return commit + (" (src/ with uncommitted changes)" if dirty else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=int(os.environ.get("AGORA_BENCH_MIX_TRIPLES", 3_000_000)))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("AGORA_BENCH_MIX_SECONDS", 20)))
    parser.add_argument("--warmup", type=int, default=int(os.environ.get("AGORA_BENCH_MIX_WARMUP", 5)))
    parser.add_argument("--clients", default=os.environ.get("AGORA_BENCH_MIX_CLIENTS", "2,16"))
    parser.add_argument("--iris-per-type", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=20,
                        help="IRIs used by point lookups and substituted queries")
    parser.add_argument("--per-query", action="store_true", help="also a row per .rq file")
    parser.add_argument("--agora-max-concurrent",
                        default=os.environ.get("AGORA_BENCH_MIX_MAX_CONCURRENT", "default,16"),
                        help="Agora's --max-concurrent-queries, one Agora run per comma-separated "
                             "value ('default': Agora's own, eight per core)")
    parser.add_argument("--agora-nodelay", action="store_true",
                        help="run Agora with benches/sparql_mix/nodelay.c preloaded (TCP_NODELAY "
                             "on accepted sockets), to measure the effect of Nagle's algorithm")
    parser.add_argument("--only", help="comma-separated configuration names to run")
    parser.add_argument("--turns", type=int, default=3,
                        help="rounds of the light configurations (ASK {}, point lookups) measured "
                             "in turns on both servers at once; 0: none")
    parser.add_argument("--agora", default=os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/agora/target")),
        "release", "agora"))
    parser.add_argument("--oxigraph", default=shutil.which("oxigraph") or "oxigraph")
    parser.add_argument("--cache", default=os.path.expanduser("~/.cache/agora/sparql_mix"))
    parser.add_argument("--fresh", action="store_true", help="rebuild the cached data")
    parser.add_argument("--out", help="results file (default benches/sparql_mix/results-<date>.md)")
    parser.add_argument("--json", help="also write the figures to this file as JSON (for benches/suite.py)")
    args = parser.parse_args()
    clients_list = [int(c) for c in args.clients.split(",")]
    for tool in (args.agora, args.oxigraph, "wrk"):
        if not shutil.which(tool) and not os.path.exists(tool):
            sys.exit(f"{tool} not found (cargo build --release; pip install oxigraph; apt-get install wrk)")
    signal.signal(signal.SIGTERM, lambda *_: (stop_all(), sys.exit(1)))
    try:
        return bench(args, clients_list)
    finally:
        stop_all()


def bench(args, clients_list):
    cache, nquads, agora_dir, ox_dir, facts = prepare_data(args, args.agora, args.oxigraph)
    iris = sample_iris(nquads, args.iris_per_type, args.seed)
    configurations, per_query, notes = build_requests(iris, args.rounds, args.seed, nquads)
    if args.per_query:
        for name, variants in per_query.items():
            configurations[f"{name}.rq"] = variants
    if args.only:
        wanted = args.only.split(",")
        configurations = {k: v for k, v in configurations.items() if k in wanted}
    distinct = {q: (l, a, q) for reqs in configurations.values() for l, a, q in reqs}.values()
    work = cache / "run"
    work.mkdir(exist_ok=True)

    preload = None
    if args.agora_nodelay:
        preload = work / "nodelay.so"
        run(["cc", "-shared", "-fPIC", "-O2", "-o", preload, HERE / "nodelay.c", "-ldl"])
    variants = args.agora_max_concurrent.split(",")
    agora_results = {}
    peak_rss = {}
    for variant in variants:
        log(f"== agora, --max-concurrent-queries {variant}")
        server = start_agora(args.agora, agora_dir, work,
                             max_concurrent=None if variant == "default" else variant,
                             preload=preload)
        try:
            if variant == variants[0]:
                agora_answers = answers(server, distinct)
            agora_results[variant] = measure(server, configurations, clients_list, args.seconds,
                                             args.warmup, work)
        finally:
            server.stop()
        peak_rss[f"agora {variant}"] = server.peak_rss
    log("== oxigraph")
    server = start_oxigraph(args.oxigraph, ox_dir, work)
    try:
        ox_answers = answers(server, distinct)
        ox_results = measure(server, configurations, clients_list, args.seconds, args.warmup, work)
    finally:
        server.stop()
    peak_rss["oxigraph"] = server.peak_rss

    turns = {}
    if args.turns and any(name in LIGHT for name in configurations):
        log(f"== both servers, light requests in turns ({args.turns} rounds)")
        agora = start_agora(args.agora, agora_dir, work, preload=preload)
        oxigraph = start_oxigraph(args.oxigraph, ox_dir, work)
        try:
            turns = alternate(agora, oxigraph, configurations, clients_list, args.turns,
                              args.seconds, args.warmup, work)
        finally:
            agora.stop()
            oxigraph.stop()

    checks, mismatches = check_answers(agora_answers, ox_answers)
    for warning in mismatches:
        log("WARNING: " + warning)
    report = render(args, facts, notes, configurations, clients_list, variants, agora_results, ox_results,
                    checks, mismatches, turns)
    print(report)
    out = Path(args.out) if args.out else HERE / f"results-{datetime.date.today().isoformat()}.md"
    out.write_text(report + "\n")
    log(f"written to {out}")
    if args.json:
        write_json(args, facts, configurations, clients_list, variants, agora_results, ox_results,
                   checks, mismatches, peak_rss, turns)
        log(f"figures written to {args.json}")


def write_json(args, facts, configurations, clients_list, variants, agora_results, ox_results,
               checks, mismatches, peak_rss, turns):
    def figures(result):
        keys = ("ok_per_s", "p50_us", "p90_us", "p99_us", "max_us", "errors", "requests")
        return {key: result[key] for key in keys if key in result}

    rows = []
    for name in configurations:
        for clients in clients_list:
            row = {"configuration": name, "clients": clients,
                   "oxigraph": figures(ox_results[(name, clients)])}
            for variant in variants:
                row[f"agora {variant}"] = figures(agora_results[variant][(name, clients)])
            rows.append(row)
    Path(args.json).write_text(json.dumps({
        "triples": args.triples, "seconds": args.seconds, "warmup": args.warmup,
        "clients": clients_list, "agora_variants": variants, "facts": facts, "rows": rows,
        "server_peak_rss_kib": peak_rss, "answer_checks": checks,
        "mismatches": mismatches, "commit": git_state(),
        "in_turns": [{"configuration": name, "clients": clients, **row}
                     for (name, clients), row in turns.items()],
    }, indent=1) + "\n")


def check_answers(agora_answers, ox_answers):
    """Per query label: distinct requests, count mismatches, content-only mismatches, times."""
    checks = {}
    mismatches = []
    for query, (label, (count_a, digest_a), time_a) in agora_answers.items():
        _, (count_o, digest_o), time_o = ox_answers[query]
        entry = checks.setdefault(label, {"requests": 0, "count": 0, "content": 0, "rows": 0,
                                          "time_a": 0.0, "time_o": 0.0})
        entry["requests"] += 1
        entry["time_a"] += time_a
        entry["time_o"] += time_o
        if isinstance(count_a, int):
            entry["rows"] += count_a
        short = " ".join(query.split())[-110:]
        if count_a != count_o:
            entry["count"] += 1
            mismatches.append(f"{label}: Agora {count_a}, oxigraph {count_o} results: …{short}")
        elif digest_a != digest_o:
            entry["content"] += 1
            mismatches.append(f"{label}: same count ({count_a}) but different rows: …{short}")
    return checks, mismatches


def render(args, facts, notes, configurations, clients_list, variants, agora_results, ox_results, checks,
           mismatches, turns):
    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    cpus = os.cpu_count()
    out = [
        f"# SPARQL query mix, Agora and oxigraph serve ({now})",
        "",
        f"`python3 benches/sparql_mix.py --triples {args.triples} --seconds {args.seconds} "
        f"--warmup {args.warmup} --clients {args.clients}"
        + f" --agora-max-concurrent {args.agora_max_concurrent}"
        + (" --per-query" if args.per_query else "")
        + (" --agora-nodelay" if args.agora_nodelay else "")
        + (f" --only '{args.only}'" if args.only else "") + "`",
        "",
        "**Agora ran with TCP_NODELAY forced on its sockets (LD_PRELOAD of "
        "`benches/sparql_mix/nodelay.c`): an experiment, not Agora as shipped.**" if args.agora_nodelay else "",
        "",
        f"- Agora at {git_state()}, release build; oxigraph "
        f"{subprocess.run([args.oxigraph, '--version'], capture_output=True, text=True).stdout.strip()}"
        f" (pip); wrk {args.clients} connections, {args.seconds} s each after {args.warmup} s of warm-up; "
        f"{cpus} cores shared by the server and wrk; each server measured alone.",
        f"- Data: `agora generate --triples {args.triples} --seed {args.seed}`: {facts['records']:,} records, "
        f"{facts['generated_quads']:,} quads; Agora's published default graph {facts['default_graph_triples']:,} "
        f"triples (the records, the history graph and the reference graph: "
        f"{facts['other_graph_triples']:,} triples in {len(facts['other_graphs'])} graphs outside the records). "
        f"Oxigraph holds the same default graph and the same named graphs. "
        f"Stores on disk: Agora {facts['agora_store_bytes'] / 2**20:,.0f} MiB, oxigraph "
        f"{facts['oxigraph_store_bytes'] / 2**20:,.0f} MiB."
        + (f" Load: `agora load` {facts['agora_load_s']:.0f} s, `oxigraph load` {facts['oxigraph_load_s']:.0f} s."
           if "agora_load_s" in facts and "oxigraph_load_s" in facts else ""),
        f"- Servers: `agora serve --no-demo --query-timeout {TIME_LIMIT_S} --max-queries-per-client 100000 [--max-concurrent-queries N]` (every load connection comes from 127.0.0.1, so the per-client share is lifted) "
        "(column Agora slots: `default` is Agora's own bound, eight queries per core; a number is the flag), "
        "GET `/sparql`; `oxigraph serve` without a time limit (its `--timeout-s` spawns a thread per "
        "query that sleeps the whole limit: at the lookups' rate it ran out of threads and crashed), GET `/query`. "
        "`Accept: application/sparql-results+json` (DESCRIBE: `application/n-triples`).",
        "- req/s counts complete successful answers only; errors are error statuses (Agora: 503 when "
        "no slot frees within 2 s, or at the time limit), 200s with an unfinished body, timeouts and socket errors. ⚠ marks a ratio below the 0.9 target.",
        "",
        table(configurations, clients_list, variants, agora_results, ox_results),
        "",
    ]
    if turns:
        out += [
            "## Light requests in turns",
            "",
            f"Both servers up at once (Agora at its defaults), each light configuration measured "
            f"{args.turns} times in turns, Agora then oxigraph, {args.seconds} s each after "
            f"{args.warmup} s of warm-up: drift of the machine over minutes moves both alike. "
            "The median of the rounds' ratios is the figure to read for these requests.",
            "",
            turns_table(turns),
            "",
        ]
    out += [
        "## Requests",
        "",
    ]
    out += [f"- {note}" for note in notes]
    out += [
        f"- Point lookups: `SELECT * WHERE {{ <iri> ?p ?o }}` and `DESCRIBE <iri>` over {args.rounds} IRIs "
        f"sampled from up to {args.iris_per_type} subjects per `/id/{{type}}/`.",
        "- The mix sends each `.rq` once per round (substituted ones with that round's IRI) and both "
        "lookups of each IRI, shuffled.",
        "",
        "## Same answers",
        "",
        "Each distinct request sent once to each server before timing (single client, cold-ish):",
        "",
        "| query | distinct requests | results (Agora, total) | count mismatches | same count, other rows | s Agora | s oxigraph |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, entry in sorted(checks.items()):
        out.append(f"| {label} | {entry['requests']} | {entry['rows']:,} | {entry['count']} | "
                   f"{entry['content']} | {entry['time_a']:.2f} | {entry['time_o']:.2f} |")
    out.append("")
    if mismatches:
        out.append("Mismatches:")
        out.append("")
        out += [f"- {m}" for m in mismatches[:50]]
    else:
        out.append("No mismatch: every request gave the same number of results and the same rows "
                   "(rows with blank nodes left out of the row comparison).")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
