#!/usr/bin/env python3
"""Every benchmark of the project in one run, written to BENCHMARKS.md (issue 8, parts 2 and 3).

Run by hand, not in CI:

    python3 benches/suite.py --triples 1000000                      # every benchmark at 1 M triples
    python3 benches/suite.py --triples 1000000 --sizes 1000000,3000000,10000000 --quick
    python3 benches/suite.py --only bsbm --bsbm-mirror /work/.mirror/Tpt+bsbm-tools/repo

It drives the existing benchmarks rather than reimplementing them, each as a separate process
with its figures written as JSON (`--json` for the Python scripts, `AGORA_BENCH_JSON` for the
cargo benches):

- per size of `--sizes` (default: `--triples`), the scaling steps:
  - `sparql` (`benches/sparql_mix.py`): `agora generate`, `agora load` and `oxigraph load` of the
    same data (time, peak RSS, store on disk), then the query mix against Agora and `oxigraph serve`
    at 2 and 16 clients (requests per second, p50, p99, server peak RSS);
  - `pages` (`benches/pages.py`): page latency per page type at 1 and 8 clients;
  - `feeds` (`cargo bench --bench feeds`): feed page times and the full harvest (the harvest only
    up to `--harvest-max-triples`: it writes record by record and takes minutes per million);
- once, at `--triples`: `validate` (vs pySHACL), `push` (pushes, and `agora load` vs
  `oxigraph load`), `kaleidos`, and `bsbm` (the Berlin SPARQL Benchmark, explore use case,
  through Agora's `/sparql` and a plain `oxigraph serve` on the same data).

BSBM is third-party Java code and is not part of this repository: `--bsbm-tools DIR` (or
`AGORA_BSBM_TOOLS`) names an unpacked copy of Tpt/bsbm-tools; `--bsbm-mirror GITDIR` (or
`AGORA_BSBM_MIRROR`) names a git copy of it, unpacked with `git archive` into the cache. Its data
(`-fc -pc N -s nt -ud -tc N/20`, about 3.5 M triples at 10,000 products) is generated into the cache.
Agora loads it with `agora load --dataset bsbm` (the operator path for external datasets).

Every step's figures go to `--figures DIR` (default `benches/results/` in this repository, committed
with BENCHMARKS.md) as `<step>-<size>.json`, each with the commit it measured; logs, raw outputs and
the binary copy go to `--results DIR` (default `~/.cache/agora/suite`). A later run reuses a step
whose file is there (`--rerun` measures again), so a suite stopped half-way resumes, a session can
add one size to the figures another session left (machines here are new each session, caches
empty), and `--report-only` writes BENCHMARKS.md from what is there. While a step runs, the load
average is sampled every 5 s and reported with its figures: the machine is shared, and the figures
are as noisy as the load says.

`--quick` shortens every measurement (seconds per wrk run, rounds, records, publications, BSBM runs);
the report says which mode produced each figure.
"""

import argparse
import math
import datetime
import json
import os
import platform
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sparql_mix as mix  # noqa: E402  (the server wrapper and helpers)

REPO = mix.REPO
BENCHES = REPO / "benches"
SIZE_STEPS = ("sparql", "pages", "feeds", "load")
ONCE_STEPS = ("validate", "push", "kaleidos", "bsbm")
# The peers the issue names, for the report.
BSBM_REFERENCE = {"oxigraph 0.5.13 (shared/bench, 2026-11-23)": 54_301, "Virtuoso 7.2.5.1": 19_669}
SLOTS_WHY = ("Agora bounds evaluation (eight queries per core by default, sixteen here) and answers 503 when "
             "no slot frees within 2 s, by design; when heavy `.rq` queries hold the slots, the requests behind "
             "them get the 503 (counted as errors, not answers: see the errors column, and the 503s among the "
             "answer checks) while `oxigraph serve`, unbounded, queues them all")
TRIPLES_PER_RECORD = 290  # the generator's mean, to turn a triple count into records


def log(message):
    mix.log(f"[suite {datetime.datetime.now():%H:%M:%S}] {message}")


# --- machine and load --------------------------------------------------------------------------


def machine():
    def first(path, key):
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
        except OSError:
            return None
        return None

    def version(command):
        try:
            out = subprocess.run(command, capture_output=True, text=True, timeout=30)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return None

    memory = first("/proc/meminfo", "MemTotal")
    return {
        "cpu": first("/proc/cpuinfo", "model name"),
        "cores": os.cpu_count(),
        "memory_gib": round(int(memory.split()[0]) / 2**20, 1) if memory else None,
        "kernel": platform.release(),
        "rustc": version(["rustc", "--version"]),
        "oxigraph": version(["oxigraph", "--version"]),
        "java": version(["java", "-version"]),
        "python": platform.python_version(),
    }


class LoadSampler:
    """Samples /proc/loadavg (1-minute) every few seconds while a step runs."""

    def __init__(self, every_s=5.0):
        self.every_s = every_s
        self.samples = []
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def loop(self):
        while not self.stop_event.is_set():
            try:
                self.samples.append(float(Path("/proc/loadavg").read_text().split()[0]))
            except OSError:
                pass
            self.stop_event.wait(self.every_s)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.stop_event.set()
        self.thread.join()

    def summary(self):
        if not self.samples:
            return None
        return {"min": min(self.samples), "mean": sum(self.samples) / len(self.samples),
                "max": max(self.samples), "samples": len(self.samples)}


# --- running steps -----------------------------------------------------------------------------


class Suite:
    def __init__(self, args):
        self.args = args
        self.results = Path(args.results).expanduser()
        self.results.mkdir(parents=True, exist_ok=True)
        self.figures = Path(args.figures).expanduser()
        self.figures.mkdir(parents=True, exist_ok=True)
        self.commit = mix.git_state()
        self.target = Path(args.target_dir).expanduser()
        self.agora = args.agora or str(self.results / "bin" / "agora")
        self.env = {**os.environ, "CARGO_TARGET_DIR": str(self.target), "AGORA_BENCH_AGORA": self.agora}

    def path(self, step, size=None):
        return self.figures / (f"{step}-{size}.json" if size else f"{step}.json")

    def done(self, step, size=None):
        """Whether the step's figures are kept (a failed step is run again)."""
        path = self.path(step, size)
        if self.args.rerun or not path.exists():
            return False
        record = json.loads(path.read_text())
        failed = record.get("exit", 0) != 0 or ("figures" in record and record["figures"] is None)
        return not failed

    def run_step(self, step, size, command, env=None, json_out=None, cwd=REPO):
        """Runs one benchmark process and stores its JSON with the command, times and load."""
        out = self.path(step, size)
        raw = Path(json_out) if json_out else self.results / f"{out.stem}.raw.json"
        raw.unlink(missing_ok=True)
        printable = " ".join(f"{k}={v}" for k, v in (env or {}).items() if k != "AGORA_BENCH_JSON")
        printable = (printable + " " if printable else "") + " ".join(shlex.quote(str(c)) for c in command)
        log(f"{step} {size or ''}: {printable}")
        logfile = self.results / f"{step}-{size or 'once'}.log"
        started = datetime.datetime.now()
        with LoadSampler() as load, open(logfile, "w") as log_handle:
            clock = time.perf_counter()
            process = subprocess.run([str(c) for c in command], cwd=cwd, stdout=log_handle,
                                     stderr=subprocess.STDOUT,
                                     env={**self.env, **(env or {}), "AGORA_BENCH_JSON": str(raw)})
            elapsed = time.perf_counter() - clock
        figures = json.loads(raw.read_text()) if raw.exists() else None
        record = {"step": step, "size": size, "commit": self.commit, "command": printable, "exit": process.returncode,
                  "started": started.isoformat(timespec="seconds"), "elapsed_s": elapsed,
                  "load": load.summary(), "quick": self.args.quick, "figures": figures,
                  "log": str(logfile)}
        out.write_text(json.dumps(record, indent=1) + "\n")
        if process.returncode != 0:
            log(f"{step} {size or ''} failed (exit {process.returncode}); see {logfile}")
        return record

    # -- the steps --

    def sparql(self, size):
        q = self.args.quick
        json_out = self.results / f"sparql-{size}.raw.json"
        command = [sys.executable, BENCHES / "sparql_mix.py", "--triples", size, "--agora", self.agora,
                   "--cache", Path(self.args.cache).expanduser(),
                   "--json", json_out, "--out", self.results / f"sparql-{size}.md",
                   "--seconds", 5 if q else 20, "--warmup", 1 if q else 5,
                   "--agora-max-concurrent", "default" if q else "default,16"]
        return self.run_step("sparql", size, command, json_out=json_out)

    def load(self, size):
        """Only the bulk loads (for sizes where the query mix is not run): `agora load` and
        `oxigraph load` of the generated N-Quads, time, peak RSS and store on disk. Oxigraph gets
        the records' named graphs only, not the default-graph copy Agora makes."""
        if self.path("sparql", size).exists():
            log(f"load {size}: the sparql step has these figures; skipped")
            return None
        work = Path(self.args.cache).expanduser() / f"t{size}-s1"
        work.mkdir(parents=True, exist_ok=True)
        nquads = work / "data.nq"
        started = datetime.datetime.now()
        with LoadSampler() as load:
            facts = {}
            if not (work / "generated.done").exists():
                facts["generate_s"] = mix.run([self.agora, "generate", "--triples", size, "--seed", 1, "--out", nquads])
                (work / "generated.done").touch()
            facts["generated_quads"] = mix.count_lines(nquads)
            agora_dir, ox_dir = work / "load-agora", work / "load-oxigraph"
            shutil.rmtree(agora_dir, ignore_errors=True)
            facts["agora_load_s"], facts["agora_load_rss_kib"] = mix.run_measured(
                [self.agora, "load", nquads, "--data", agora_dir], stdout=subprocess.DEVNULL)
            facts["agora_store_bytes"] = mix.folder_bytes(agora_dir)
            shutil.rmtree(agora_dir, ignore_errors=True)
            shutil.rmtree(ox_dir, ignore_errors=True)
            facts["oxigraph_load_s"], facts["oxigraph_load_rss_kib"] = mix.run_measured(
                ["oxigraph", "load", "--location", ox_dir, "--file", nquads],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            facts["oxigraph_store_bytes"] = mix.folder_bytes(ox_dir)
            shutil.rmtree(ox_dir, ignore_errors=True)
        record = {"step": "load", "size": size, "commit": self.commit, "exit": 0, "quick": self.args.quick,
                  "command": f"agora generate --triples {size} --seed 1; agora load; oxigraph load (named graphs only)",
                  "started": started.isoformat(timespec="seconds"),
                  "elapsed_s": (datetime.datetime.now() - started).total_seconds(),
                  "load": load.summary(), "figures": {"facts": facts}, "log": ""}
        self.path("load", size).write_text(json.dumps(record, indent=1) + "\n")
        return record

    def pages(self, size):
        q = self.args.quick
        json_out = self.results / f"pages-{size}.raw.json"
        command = [sys.executable, BENCHES / "pages.py", "--triples", size, "--agora", self.agora,
                   "--cache", Path(self.args.cache).expanduser(),
                   "--json", json_out, "--out", self.results / f"pages-{size}.md",
                   "--seconds", 4 if q else 10, "--warmup", 1 if q else 2]
        return self.run_step("pages", size, command, json_out=json_out)

    def cargo_bench(self, step, size, bench, env):
        command = ["cargo", "bench", "--locked", "--bench", bench]
        return self.run_step(step, size, command, env={k: str(v) for k, v in env.items()})

    def feeds(self, size):
        harvest = size <= self.args.harvest_max_triples
        return self.cargo_bench("feeds", size, "feeds", {
            "AGORA_BENCH_FEED_TRIPLES": size, "AGORA_BENCH_FEED_ROUNDS": 5 if self.args.quick else 20,
            "AGORA_BENCH_FEED_HARVEST": 1 if harvest else 0})

    def validate(self):
        q = self.args.quick
        records = max(1000, self.args.triples // TRIPLES_PER_RECORD)
        return self.cargo_bench("validate", None, "validate", {
            "AGORA_BENCH_RECORDS": min(records, 3000) if q else records,
            "AGORA_BENCH_SAMPLE": 60 if q else 300,
            "AGORA_BENCH_PYTHON": pyshacl_python()})

    def push(self):
        q = self.args.quick
        return self.cargo_bench("push", None, "push", {
            "AGORA_BENCH_PUSH_RECORDS": 200 if q else 1000,
            "AGORA_BENCH_LOAD_TRIPLES": self.args.triples,
            "AGORA_BENCH_LOAD_ROUNDS": 1 if q else 3})

    def kaleidos(self):
        return self.cargo_bench("kaleidos", None, "kaleidos", {
            "AGORA_BENCH_PUBLICATIONS": 200 if self.args.quick else 1000})

    def bsbm(self):
        record = {**Bsbm(self).run(), "commit": self.commit}
        self.path("bsbm").write_text(json.dumps(record, indent=1) + "\n")
        return record


# --- BSBM --------------------------------------------------------------------------------------


class Bsbm:
    """The BSBM explore use case against Agora's /sparql and a plain oxigraph serve."""

    def __init__(self, suite):
        self.suite = suite
        self.args = suite.args
        self.products = self.args.bsbm_products
        self.cache = Path(self.args.bsbm_cache).expanduser()
        self.cache.mkdir(parents=True, exist_ok=True)
        self.tools = self.find_tools()

    def find_tools(self):
        tools = self.args.bsbm_tools or os.environ.get("AGORA_BSBM_TOOLS")
        if tools and (Path(tools) / "lib" / "bsbm.jar").exists():
            return Path(tools)
        mirror = self.args.bsbm_mirror or os.environ.get("AGORA_BSBM_MIRROR")
        unpacked = self.cache / "tools"
        if (unpacked / "lib" / "bsbm.jar").exists():
            return unpacked
        if not mirror:
            sys.exit("BSBM: give --bsbm-tools DIR (an unpacked Tpt/bsbm-tools) or --bsbm-mirror GITDIR")
        unpacked.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", mirror, "archive", "HEAD"], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", unpacked], input=archive.stdout, check=True)
        return unpacked

    def run(self):
        started = datetime.datetime.now()
        record = {"step": "bsbm", "started": started.isoformat(timespec="seconds"),
                  "products": self.products, "quick": self.args.quick, "tools": str(self.tools)}
        with LoadSampler() as load:
            data, td_data, record["generate_s"] = self.generate()
            record["data_bytes"] = data.stat().st_size
            record["stores"] = self.load(data)
            runs, warmup = (50, 10) if self.args.quick else (self.args.bsbm_runs, 50)
            record["runs"], record["warmup"], record["clients"] = runs, warmup, 2
            record["agora"] = self.measure("agora", td_data, runs, warmup)
            record["oxigraph"] = self.measure("oxigraph", td_data, runs, warmup)
            record["qualification"] = self.qualify()
        record["load"] = load.summary()
        record["elapsed_s"] = (datetime.datetime.now() - started).total_seconds()
        return record

    def generate(self):
        name = f"explore-{self.products}"
        data, td_data = self.cache / f"{name}.nt", self.cache / f"td_data-{self.products}"
        if (self.cache / f"{name}.done").exists():
            return data, td_data, None
        command = ["./generate", "-fc", "-pc", self.products, "-s", "nt", "-ud",
                   "-tc", max(1, self.products // 20), "-fn", self.cache / name, "-dir", td_data]
        seconds = mix.run(command, cwd=self.tools, stdout=subprocess.DEVNULL)
        (self.cache / f"{name}.done").touch()
        return data, td_data, seconds

    def load(self, data):
        stores = {}
        agora_dir = self.cache / f"agora-{self.products}"
        ox_dir = self.cache / f"oxigraph-{self.products}"
        facts_file = self.cache / f"stores-{self.products}.json"
        if facts_file.exists() and not self.args.rerun:
            return json.loads(facts_file.read_text())
        shutil.rmtree(agora_dir, ignore_errors=True)
        shutil.rmtree(ox_dir, ignore_errors=True)
        seconds, rss = mix.run_measured([self.suite.agora, "load", "--dataset", "bsbm", "--data", agora_dir, data])
        stores["agora"] = {"command": f"agora load --dataset bsbm --data DIR {data.name}",
                           "s": seconds, "rss_kib": rss, "bytes": mix.folder_bytes(agora_dir)}
        seconds, rss = mix.run_measured(["oxigraph", "load", "--location", ox_dir, "--file", data])
        stores["oxigraph"] = {"command": f"oxigraph load --location DIR --file {data.name}",
                              "s": seconds, "rss_kib": rss, "bytes": mix.folder_bytes(ox_dir)}
        facts_file.write_text(json.dumps(stores, indent=1))
        return stores

    def start(self, which):
        work = self.cache / "run"
        work.mkdir(exist_ok=True)
        if which == "agora":
            return mix.start_agora(self.suite.agora, self.cache / f"agora-{self.products}", work)
        return mix.start_oxigraph("oxigraph", self.cache / f"oxigraph-{self.products}", work)

    def driver(self, server, td_data, extra, out):
        command = ["./testdriver", "-idir", td_data, "-ucf", "usecases/explore/sparql.txt",
                   *extra, server.url]
        started = time.perf_counter()
        with open(out.with_suffix(".log"), "w") as handle:
            process = subprocess.run([str(c) for c in command], cwd=self.tools, stdout=handle,
                                     stderr=subprocess.STDOUT)
        return process.returncode, time.perf_counter() - started, " ".join(str(c) for c in command)

    def measure(self, which, td_data, runs, warmup):
        """One server start: the timed runs, then qualification mode once."""
        out = self.cache / "run" / f"{which}-{self.products}.xml"
        qual = self.cache / "run" / f"{which}-{self.products}.qual"
        out.unlink(missing_ok=True)
        qual.unlink(missing_ok=True)
        server = self.start(which)
        try:
            code, seconds, command = self.driver(
                server, td_data, ["-runs", runs, "-w", warmup, "-mt", 2, "-o", out], out)
            qual_code, _, _ = self.driver(server, td_data, ["-q", "-qf", qual], qual)
        finally:
            server.stop()
        result = {"command": command.replace(str(td_data), td_data.name), "exit": code,
                  "s": seconds, "server_peak_rss_kib": server.peak_rss,
                  "qualification_exit": qual_code, "qualification_file": str(qual)}
        if out.exists():
            result.update(parse_bsbm_xml(out))
        return result

    def qualify(self):
        """Compares Agora's qualification answers with oxigraph's (the reference)."""
        files = {which: self.cache / "run" / f"{which}-{self.products}.qual" for which in ("oxigraph", "agora")}
        result = {which: {"written": qual.exists()} for which, qual in files.items()}
        if all(qual.exists() for qual in files.values()):
            log_file = self.cache / "run" / "qualification.log"
            check = subprocess.run(
                ["java", "-cp", "lib/*", "benchmark.qualification.Qualification", "-ql", log_file,
                 files["oxigraph"], files["agora"]],
                cwd=self.tools, capture_output=True, text=True)
            text = (log_file.read_text(errors="replace") if log_file.exists() else "") + check.stdout
            result["exit"] = check.returncode
            result["log_tail"] = text.strip().splitlines()[-40:]
            result["log"] = str(log_file)
        return result


def bsbm_dump_note(record):
    """Whether Agora wrote dumps beside the timed run: a dump still running takes a core from
    the server. The benchmarks start it with --no-dumps (benches/sparql_mix.py, start_agora)."""
    cache = Path(record.get("tools", "~/.cache/agora/bsbm/tools")).expanduser().parent
    log_file = cache / "run" / "agora.log"
    if not log_file.exists():
        return "Agora's dumps: no log kept."
    text = log_file.read_text(errors="replace")
    if "--no-dumps" in text or "dump written" not in text:
        return ("Agora ran with `--no-dumps`: no dump was written beside the measurement "
                "(`oxigraph serve` has no such work either).")
    return ("**Agora wrote dumps while it served this run (see its log): a background thread took CPU "
            "from its queries; Agora's figure is pessimistic by that much.**")


def parse_bsbm_xml(path):
    root = ElementTree.parse(path).getroot()

    def number(node, tag):
        found = node.find(tag) if node is not None else None
        try:
            return float(found.text) if found is not None and found.text else None
        except ValueError:
            return None

    overall = root.find("querymix")
    figures = {"qmph": number(overall, "qmph"), "cqet": number(overall, "cqet"),
               "total_runtime_s": number(overall, "totalruntime"), "queries": {}}
    for query in root.iter("query"):
        number_attr = query.get("nr")
        figures["queries"][number_attr] = {
            "executecount": number(query, "executecount"), "aqet": number(query, "aqet"),
            "aqetg": number(query, "aqetg"), "qps": number(query, "qps"),
            "minqet": number(query, "minqet"), "maxqet": number(query, "maxqet"),
            "avgresults": number(query, "avgresults"), "timeouts": number(query, "timeoutcount"),
        }
    return figures


# --- the report --------------------------------------------------------------------------------


PYSHACL = "pyshacl==0.40.1"


def pyshacl_python():
    """A Python with pySHACL, the validation step's peer: a virtual environment of its own under
    ~/.cache/agora (kept apart from the tests' clients, whose rdflib is pinned), made once."""
    venv = Path("~/.cache/agora/pyshacl-venv").expanduser()
    python = venv / "bin" / "python3"
    marker = venv / (PYSHACL + ".installed")
    if not marker.exists():
        log(f"installing {PYSHACL} into {venv}")
        subprocess.run([sys.executable, "-m", "venv", "--clear", venv], check=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", PYSHACL], check=True)
        marker.touch()
    return str(python)


def fmt(value, digits=1):
    if value is None:
        return "n/a"
    if isinstance(value, (int, float)) and abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def ratio(ours, theirs):
    if not ours or not theirs:
        return "n/a"
    return f"{ours / theirs:.2f}"


def mib(kib_or_bytes, unit="kib"):
    if kib_or_bytes is None:
        return "n/a"
    value = kib_or_bytes / 1024 if unit == "kib" else kib_or_bytes / 2**20
    return f"{value:,.0f} MiB"


def load_text(record):
    load = record.get("load") if record else None
    if not load:
        return "load n/a"
    return f"load average {load['min']:.1f}–{load['max']:.1f} (mean {load['mean']:.1f})"


def step_note(record):
    when = record.get("started", "?").replace("T", " ")
    mode = "quick" if record.get("quick") else "full"
    status = "" if record.get("exit", 0) == 0 else f", **exit {record['exit']}: incomplete**"
    commit = f", commit {record['commit']}" if record.get("commit") else ""
    return f"{mode} mode, started {when}{commit}, {fmt(record.get('elapsed_s'), 0)} s, {load_text(record)}{status}"


def read(results, name):
    path = results / name
    return json.loads(path.read_text()) if path.exists() else None


class Report:
    def __init__(self, args, results):
        self.args = args
        self.results = results
        self.lines = []
        self.far = []  # (ratio, text) of Agora/peer figures, for the closing note

    def add(self, *lines):
        self.lines.extend(lines)

    def peer(self, area, what, ours, theirs, higher_is_better=True, why=""):
        """Notes an Agora/peer figure for the closing note, as a speed ratio (above 1: Agora is
        faster); `area` groups figures that share a cause (one per area in the closing note)."""
        if ours and theirs:
            value = ours / theirs if higher_is_better else theirs / ours
            self.far.append((value, area, what, why))

    def render(self, sizes):
        meta = read(self.results, "suite.json") or {}
        m = meta.get("machine", {})
        self.add(
            "# Benchmarks",
            "",
            "Generated by `benches/suite.py`; do not edit by hand (run the suite again).",
            "",
            f"- Date of the report: {datetime.datetime.now():%Y-%m-%d %H:%M} UTC; each section gives when its step ran.",
            f"- Agora at commit {self.commits(meta)}, release build (`cargo build --release --locked`; cargo benches in the bench profile).",
            f"- Machine: {m.get('cpu')}, {m.get('cores')} cores, {m.get('memory_gib')} GiB of memory, Linux {m.get('kernel')}; "
            f"{m.get('rustc')}; {m.get('oxigraph')} (pip); {m.get('java')}; Python {m.get('python')}.",
            "- **The machine is shared** (two cores, with another engineer's builds and tests and another "
            "helper's work beside this run): the load average sampled during each step is given with it. "
            "A load average above the core count means the benchmark had less than the whole machine, "
            "and the figures are noisy; compare ratios taken in the same step rather than absolute figures.",
            f"- Commands: {'; '.join('`' + c + '`' for c in meta.get('invocations', []))}; the command of each step is given with it.",
            "",
        )
        self.bsbm()
        self.scaling(sizes)
        main_size = self.args.triples
        self.sparql(main_size)
        self.pages(main_size)
        self.feeds(main_size)
        self.validate()
        self.push()
        self.kaleidos()
        self.closing()
        return "\n".join(self.lines) + "\n"

    def commits(self, meta):
        """The commits the kept figures measured (each step's note names its own)."""
        found = []
        for path in sorted(self.results.glob("*.json")):
            commit = json.loads(path.read_text()).get("commit") if path.name != "suite.json" else None
            if commit and commit not in found:
                found.append(commit)
        if len(found) > 1:
            return ", ".join(found) + " (each step says which)"
        return found[0] if found else meta.get("commit", "?")

    # -- sections --

    def bsbm(self):
        record = read(self.results, "bsbm.json")
        self.add("## BSBM (Berlin SPARQL Benchmark), explore use case", "")
        if not record:
            self.add("Not run.", "")
            return
        a, o = record.get("agora", {}), record.get("oxigraph", {})
        stores = record.get("stores", {})
        self.add(
            f"{record['products']:,} products ({fmt(record.get('data_bytes', 0) / 2**20, 0)} MiB of N-Triples), "
            f"test driver with {record['runs']} query mixes after {record['warmup']} warm-up mixes, "
            f"{record['clients']} clients; started {record['started'].replace('T', ' ')}, {load_text(record)}.",
            "",
            f"- Agora: `{a.get('command', '?')}` against `agora serve --no-demo` on a store loaded with "
            f"`{stores.get('agora', {}).get('command', '?')}` ({fmt(stores.get('agora', {}).get('s'))} s, "
            f"peak RSS {mib(stores.get('agora', {}).get('rss_kib'))}, {mib(stores.get('agora', {}).get('bytes'), 'bytes')} on disk; "
            "the store also holds Agora's reference graph, a few thousand triples of code lists and ontology).",
            f"- oxigraph: the same driver against `oxigraph serve` on a store loaded with "
            f"`{stores.get('oxigraph', {}).get('command', '?')}` ({fmt(stores.get('oxigraph', {}).get('s'))} s, "
            f"peak RSS {mib(stores.get('oxigraph', {}).get('rss_kib'))}, {mib(stores.get('oxigraph', {}).get('bytes'), 'bytes')} on disk).",
            "",
            "| | Agora | oxigraph serve | Agora / oxigraph |",
            "|---|---:|---:|---:|",
            f"| query mixes per hour (QMpH) | {fmt(a.get('qmph'), 0)} | {fmt(o.get('qmph'), 0)} | **{ratio(a.get('qmph'), o.get('qmph'))}** |",
            f"| server peak RSS | {mib(a.get('server_peak_rss_kib'))} | {mib(o.get('server_peak_rss_kib'))} | |",
            "",
            "Earlier reference figures on this machine (`/work/shared/bench/README.md`, 10k products, 2 clients): "
            + ", ".join(f"{k}: {v:,} QMpH" for k, v in BSBM_REFERENCE.items()) + ".",
            "",
            "Per query (aqet: average execution time in ms as the driver sees it; the explore mix runs "
            "25 queries: Q1 once, Q2 6 times, and so on):",
            "",
            "| query | aqet Agora (ms) | aqet oxigraph (ms) | oxigraph time / Agora time | avg results Agora | avg results oxigraph | timeouts Agora |",
            "|---|---:|---:|---:|---:|---:|---:|",
        )
        self.peer("bsbm", "BSBM QMpH (10k products, 2 clients)", a.get("qmph"), o.get("qmph"),
                  why="the same engine answers; Agora adds its HTTP stack per request (tens of microseconds of CPU) "
                      "and holds twice the quads (the dataset graph and the default graph) in a bigger store")
        queries = sorted(set(a.get("queries", {})) | set(o.get("queries", {})), key=lambda n: int(n))
        for number in queries:
            qa, qo = a.get("queries", {}).get(number, {}), o.get("queries", {}).get(number, {})
            ms_a = qa.get("aqet") * 1000 if qa.get("aqet") is not None else None
            ms_o = qo.get("aqet") * 1000 if qo.get("aqet") is not None else None
            self.add(f"| Q{number} | {fmt(ms_a, 2)} | {fmt(ms_o, 2)} | {ratio(ms_o, ms_a)} | "
                     f"{fmt(qa.get('avgresults'))} | {fmt(qo.get('avgresults'))} | {fmt(qa.get('timeouts'), 0)} |")
        self.add("", "Q6 is not part of the explore mix (BSBM 3.1 removed it). For Q9 (DESCRIBE) and Q12 "
                 "(CONSTRUCT) the driver counts bytes of RDF/XML, not results, and the qualification tool does not "
                 "compare these two: Agora's RDF/XML declares its twenty-odd namespace prefixes in every answer, "
                 "hence the larger byte counts (checked by hand for Offer1 and Review1 in N-Triples: the same 8 and 6 triples on both).",
                 "", bsbm_dump_note(record), "")
        qual = record.get("qualification", {})
        self.add("", "Qualification (`-q`, once per server; the Qualification tool compares Agora's "
                 "answers with oxigraph's):", "")
        if "log_tail" in qual:
            self.add("```", *qual["log_tail"], "```", "")
        else:
            self.add(f"not complete: {json.dumps(qual)}", "")

    def scaling(self, sizes):
        self.add("## Scaling curve", "")
        rows = []
        for size in sizes:
            s = read(self.results, f"sparql-{size}.json") or read(self.results, f"load-{size}.json")
            p = read(self.results, f"pages-{size}.json")
            f = read(self.results, f"feeds-{size}.json")
            rows.append((size, s, p, f))
        if not any(s or p or f for _, s, p, f in rows):
            self.add("Not run.", "")
            return
        self.add(
            "Per size: `agora generate --triples N` (seed 1), then the `sparql`, `pages` and `feeds` steps "
            "(their sections below give every figure at the main size; each size's raw figures are in the "
            "suite's results folder). Memory is the peak resident set size (VmHWM of the server, "
            "`ru_maxrss` of the loader). Where the step is `load`, only the bulk loads ran at that size "
            "(`oxigraph load` of the records' named graphs only, without the default-graph copy).",
            "",
            "| triples | step | records | `agora load` s | `oxigraph load` s | Agora store | oxigraph store | peak RSS `agora load` | peak RSS Agora server (mix) | peak RSS oxigraph server | point lookups p50 Agora / oxigraph (2 clients) | `.rq` queries p50 Agora / oxigraph (2 clients) | mix req/s Agora / oxigraph (2 clients) | meeting page p50 (1 client) | list pages p50 (1 client) | search p50 | feed page of 50 meetings | full harvest |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        )
        for size, s, p, f in rows:
            sf = (s or {}).get("figures") or {}
            facts = sf.get("facts", {})
            rss = sf.get("server_peak_rss_kib", {})
            mix_rows = {(r["configuration"], r["clients"]): r for r in sf.get("rows", [])}

            def q(name, key="p50_us", clients=2):
                row = mix_rows.get((name, clients))
                if not row:
                    return "n/a"
                ours, theirs = row.get("agora default", {}).get(key), row.get("oxigraph", {}).get(key)
                if key == "p50_us":
                    return f"{mix.ms(ours)} / {mix.ms(theirs)} ms" if ours and theirs else "n/a"
                return f"{fmt(ours)} / {fmt(theirs)}"

            pf = (p or {}).get("figures") or {}
            page_rows = {(r["page"], r["clients"]): r for r in pf.get("rows", [])}

            def page(name, clients=1):
                row = page_rows.get((name, clients))
                return f"{mix.ms(row['p50_us'])} ms" if row else "n/a"

            lists = [page_rows.get((n, 1)) for n in ("consultations list", "meetings list", "proposals list")]
            lists_text = ("–".join(sorted({mix.ms(r['p50_us']) for r in lists if r}, key=float)) + " ms") if any(lists) else "n/a"
            ff = (f or {}).get("figures") or {}
            meetings = ff.get("page vergaderingen full") or ff.get("page meetings full")
            meeting_page = next((v for k, v in ff.items() if k.startswith("page ") and "vergader" in k and k.endswith("full")), meetings)
            harvest = ff.get("agora harvest")
            self.add(
                f"| {size:,} | {(s or {}).get('step', 'n/a')} | {fmt(facts.get('records'), 0)} | {fmt(facts.get('agora_load_s'))} | {fmt(facts.get('oxigraph_load_s'))} | "
                f"{mib(facts.get('agora_store_bytes'), 'bytes')} | {mib(facts.get('oxigraph_store_bytes'), 'bytes')} | "
                f"{mib(facts.get('agora_load_rss_kib'))} | {mib(rss.get('agora default'))} | {mib(rss.get('oxigraph'))} | "
                f"{q('point lookups')} | {q('queries/*.rq')} | {q('mix (.rq + lookups)', 'ok_per_s')} | "
                f"{page('meeting page')} | {lists_text} | {page('search')} | "
                f"{fmt(meeting_page.get('median_ms')) + ' ms' if meeting_page else 'n/a'} | "
                f"{(fmt(harvest['s']) + ' s (' + fmt(harvest['records_per_s']) + ' records/s)') if harvest else 'not run'} |")
        self.add("", "How each cost grows (computed from the table; ratios are between the largest and the smallest size measured):", "")
        self.growth(rows)
        self.add("", "Steps:", "")
        for size, s, p, f in rows:
            for name, record in ((s.get("step", "sparql") if s else "sparql", s), ("pages", p), ("feeds", f)):
                if record:
                    self.add(f"- {name} at {size:,}: `{record['command']}` ({step_note(record)})")
                else:
                    self.add(f"- {name} at {size:,}: not run")
        self.add("")

    def growth(self, rows):
        def series(extract):
            points = []
            for size, s, p, f in rows:
                try:
                    value = extract(s, p, f)
                except (KeyError, TypeError, AttributeError, StopIteration):
                    value = None
                if value:
                    points.append((size, value))
            return points

        def sentence(name, points, unit):
            if len(points) < 2:
                self.add(f"- {name}: measured at {len(points)} size(s) only; no curve.")
                return
            (s0, v0), (s1, v1) = points[0], points[-1]
            data_factor, cost_factor = s1 / s0, v1 / v0
            exponent = math.log(cost_factor) / math.log(data_factor)
            steps = ", ".join(f"{v:,.1f} {unit} at {s / 1e6:g} M" for s, v in points)
            if exponent < 0.3:
                shape = "flat (does not grow with the data)"
            elif exponent < 0.8:
                shape = "sub-linear"
            elif exponent < 1.25:
                shape = "about linear"
            else:
                shape = "**faster than linear**"
            kink = ""
            if len(points) >= 3:
                slopes = []
                for (a, va), (b, vb) in zip(points, points[1:]):
                    slopes.append(math.log(vb / va) / math.log(b / a))
                if slopes[0] < 0.3 <= max(slopes[1:]):
                    kink = f"; flat up to {points[1][0] / 1e6:g} M, then grows (exponent {max(slopes[1:]):.2f})"
            self.add(f"- {name}: {steps}: ×{cost_factor:.2f} for ×{data_factor:.1f} data "
                     f"(exponent {exponent:.2f}, {shape}){kink}.")

        sf = lambda s: s["figures"]  # noqa: E731
        mixrow = lambda s, name, clients=2: next(r for r in sf(s)["rows"] if r["configuration"] == name and r["clients"] == clients)  # noqa: E731
        pagerow = lambda p, name, clients=1: next(r for r in p["figures"]["rows"] if r["page"] == name and r["clients"] == clients)  # noqa: E731
        sentence("`agora load` time", series(lambda s, p, f: sf(s)["facts"]["agora_load_s"]), "s")
        sentence("`oxigraph load` time (sizes with the query mix: the same quads as Agora's store)",
                 series(lambda s, p, f: sf(s)["facts"]["oxigraph_load_s"] if s["step"] == "sparql" else None), "s")
        sentence("Agora store on disk", series(lambda s, p, f: sf(s)["facts"]["agora_store_bytes"] / 2**20), "MiB")
        sentence("peak RSS of `agora load`", series(lambda s, p, f: sf(s)["facts"]["agora_load_rss_kib"] / 1024), "MiB")
        sentence("peak RSS of the Agora server during the query mix", series(lambda s, p, f: sf(s)["server_peak_rss_kib"]["agora default"] / 1024), "MiB")
        sentence("point lookup p50 (Agora, 2 clients)", series(lambda s, p, f: mixrow(s, "point lookups")["agora default"]["p50_us"] / 1000), "ms")
        sentence("`.rq` query p50 (Agora, 2 clients)", series(lambda s, p, f: mixrow(s, "queries/*.rq")["agora default"]["p50_us"] / 1000), "ms")
        sentence("`.rq` query p50 (oxigraph, 2 clients)", series(lambda s, p, f: mixrow(s, "queries/*.rq")["oxigraph"]["p50_us"] / 1000), "ms")
        sentence("meeting page p50", series(lambda s, p, f: pagerow(p, "meeting page")["p50_us"] / 1000), "ms")
        sentence("meetings list p50", series(lambda s, p, f: pagerow(p, "meetings list")["p50_us"] / 1000), "ms")
        sentence("home page p50", series(lambda s, p, f: pagerow(p, "home /")["p50_us"] / 1000), "ms")
        sentence("accountability page p50", series(lambda s, p, f: pagerow(p, "accountability")["p50_us"] / 1000), "ms")
        sentence("search p50", series(lambda s, p, f: pagerow(p, "search")["p50_us"] / 1000), "ms")
        sentence("feed page of 50 meetings (median)", series(lambda s, p, f: next(v for k, v in f["figures"].items() if k.startswith("page vergader") and k.endswith("full"))["median_ms"]), "ms")
        sentence("full harvest time", series(lambda s, p, f: f["figures"]["agora harvest"]["s"]), "s")

    def sparql(self, size):
        record = read(self.results, f"sparql-{size}.json")
        self.add(f"## SPARQL query mix at {size:,} triples (Agora vs `oxigraph serve`)", "")
        if not record or not record.get("figures"):
            self.add("Not run." if not record else f"Failed: {step_note(record)}; see `{record['log']}`.", "")
            return
        fig = record["figures"]
        facts = fig["facts"]
        self.add(f"`{record['command']}` ({step_note(record)}).", "")
        self.add(f"Data: {facts['records']:,} records, {facts['generated_quads']:,} quads; default graph "
                 f"{facts['default_graph_triples']:,} triples. Load: `agora load` {fmt(facts.get('agora_load_s'))} s "
                 f"(peak RSS {mib(facts.get('agora_load_rss_kib'))}), `oxigraph load` of the same quads "
                 f"{fmt(facts.get('oxigraph_load_s'))} s (peak RSS {mib(facts.get('oxigraph_load_rss_kib'))}); "
                 f"on disk Agora {mib(facts['agora_store_bytes'], 'bytes')}, oxigraph {mib(facts['oxigraph_store_bytes'], 'bytes')}.",
                 "")
        self.peer("load", f"bulk load time at {size:,} triples (`agora load` vs `oxigraph load` of the same quads)",
                  facts.get("agora_load_s"), facts.get("oxigraph_load_s"), higher_is_better=False,
                  why="`agora load` writes every triple twice (record graph and default graph), the version-1 bookkeeping and an RDFC-1.0 hash per record, then compacts")
        variants = fig["agora_variants"]
        header = "| requests | clients | " + " | ".join(f"req/s Agora ({v}) | ratio" for v in variants) + \
            " | req/s oxigraph | p50 Agora / oxigraph (ms) | p99 Agora / oxigraph (ms) | errors Agora / oxigraph |"
        self.add(header, "|---|---:|" + "---:|---:|" * len(variants) + "---:|---:|---:|---:|")
        in_turns = {(row["configuration"], row["clients"]): row.get("median_ratio")
                    for row in fig.get("in_turns", []) if row.get("median_ratio") is not None}
        for row in fig["rows"]:
            o = row["oxigraph"]
            cells = []
            for v in variants:
                a = row[f"agora {v}"]
                cells += [fmt(a["ok_per_s"]), f"**{ratio(a['ok_per_s'], o['ok_per_s'])}**"]
            a = row[f"agora {variants[0]}"]
            self.add(f"| {row['configuration']} | {row['clients']} | " + " | ".join(cells) +
                     f" | {fmt(o['ok_per_s'])} | {mix.ms(a['p50_us'])} / {mix.ms(o['p50_us'])} | "
                     f"{mix.ms(a['p99_us'])} / {mix.ms(o['p99_us'])} | {a['errors']} / {o['errors']} |")
            why = {"ASK {}": "per-request overhead of Agora's HTTP stack (middleware, tokio scheduling, state) where `oxigraph serve` answers from a bare synchronous server; no evaluation is involved",
                   "point lookups": "the same per-request overhead on requests that cost Oxigraph a fraction of a millisecond",
                   "queries/*.rq": SLOTS_WHY, "mix (.rq + lookups)": SLOTS_WHY}.get(row["configuration"], "")
            # A light request measured in turns is read from the turns' median (steadier than
            # the alone figures, taken minutes apart while the machine's speed drifts).
            median = in_turns.get((row["configuration"], row["clients"]))
            what = f"{row['configuration']} at {row['clients']} clients, {size:,} triples"
            if median is not None:
                self.peer("sparql", f"{what} (req/s, median ratio of the rounds in turns)",
                          median, 1.0, why=why)
            else:
                self.peer("sparql", f"{what} (req/s)", a["ok_per_s"], o["ok_per_s"], why=why)
        turns = fig.get("in_turns", [])
        if turns:
            self.add("", "Light requests measured in turns (both servers up, Agora then oxigraph, "
                     f"{len(turns[0]['agora_ok_per_s'])} rounds; the machine's drift moves both alike, so these "
                     "ratios are steadier than the table's, where each server was measured alone, minutes apart):", "",
                     "| requests | clients | req/s Agora (each round) | req/s oxigraph (each round) | median ratio |",
                     "|---|---:|---|---|---:|")
            for row in turns:
                rate = lambda values: " / ".join(fmt(v) for v in values)
                median = row.get("median_ratio")
                self.add(f"| {row['configuration']} | {row['clients']} | {rate(row['agora_ok_per_s'])} | "
                         f"{rate(row['oxigraph_ok_per_s'])} | **{median:.2f}** |" if median is not None else
                         f"| {row['configuration']} | {row['clients']} | – | – | – |")
        rss = fig.get("server_peak_rss_kib", {})
        self.add("", "Server peak RSS during the step: " + ", ".join(f"{k} {mib(v)}" for k, v in rss.items()) + ".")
        mismatches = fig.get("mismatches", [])
        refused = sum("Agora HTTP 503" in m for m in mismatches)
        self.add("", f"Answers compared before timing: {len(mismatches)} mismatch(es), {refused} of them "
                 "Agora's 503 (no evaluation slot within 2 s) rather than a different answer." +
                 ("" if not mismatches else " " + "; ".join(mismatches[:5])), "")

    def pages(self, size):
        record = read(self.results, f"pages-{size}.json")
        self.add(f"## Pages at {size:,} triples (no peer: Agora's own pages)", "")
        if not record or not record.get("figures"):
            self.add("Not run." if not record else f"Failed: {step_note(record)}; see `{record['log']}`.", "")
            return
        fig = record["figures"]
        self.add(f"`{record['command']}` ({step_note(record)}).", "",
                 "| page type | clients | pages/s | p50 (ms) | p90 (ms) | p99 (ms) | errors |",
                 "|---|---:|---:|---:|---:|---:|---:|")
        for row in fig["rows"]:
            self.add(f"| {row['page']} | {row['clients']} | {fmt(row['ok_per_s'])} | {mix.ms(row['p50_us'])} | "
                     f"{mix.ms(row['p90_us'])} | {mix.ms(row['p99_us'])} | {row['errors']} |")
        self.add("", f"Server peak RSS: {mib(fig.get('server_peak_rss_kib'))}.", "")

    def feeds(self, size):
        record = read(self.results, f"feeds-{size}.json")
        self.add(f"## Feeds at {size:,} triples (harvest: `agora harvest` vs ldes-client)", "")
        if not record or not record.get("figures"):
            self.add("Not run." if not record else f"Failed: {step_note(record)}; see `{record['log']}`.", "")
            return
        fig = record["figures"]
        self.add(f"`{record['command']}` ({step_note(record)}).", "",
                 f"{fig.get('records', '?'):,} records bulk loaded in {fmt(fig.get('bulk_load_s'))} s.", "",
                 "| feed page (TriG) | page | from the store: median (ms) | p90 (ms) | bytes "
                 "| feed cache: first request (ms) | then median (ms) |", "|---|---:|---:|---:|---:|---:|---:|")
        for key, value in fig.items():
            if key.startswith("page "):
                cached = fig.get(f"cached {key}")
                first, then = (fmt(cached["first_ms"]), fmt(cached["median_ms"], 2)) if cached else ("n/a", "n/a")
                self.add(f"| {key[5:]} | {value['page']} | {fmt(value['median_ms'])} | {fmt(value['p90_ms'])} | "
                         f"{value['bytes']:,} | {first} | {then} |")
        self.add("", "From the store: Agora with its feed cache off, so every request reads and serialises the "
                 "page (what a first harvest gets; both harvests below read from this server). Feed cache: "
                 "Agora again on the same store with the default cache; the first request reads the page "
                 "and keeps it, the next ones are answered from memory (n/a: a run before the cache).")
        harvest, client = fig.get("agora harvest"), fig.get("ldes-client harvest")
        self.add("")
        if harvest:
            self.add(f"Full harvest with `agora harvest`: {harvest['records']:,} records ({harvest['pages']} pages) "
                     f"in {fmt(harvest['s'])} s, {fmt(harvest['records_per_s'])} records/s.")
        else:
            self.add("Full harvest: not run at this size (above `--harvest-max-triples`).")
        if client:
            self.add(f"ldes-client 0.3 (reads, does not store): {client['members']:,} members in {fmt(client['s'])} s, "
                     f"{fmt(client['members_per_s'])} members/s.")
            if harvest:
                self.peer("feeds", f"full feed harvest at {size:,} triples (records/s, `agora harvest` vs ldes-client)",
                          harvest["records_per_s"], client["members_per_s"],
                          why="ldes-client only reads; the harvester stores every member in its own transaction through `Store::write` (versioned: the record graph and the published default graph, about nine RocksDB index entries per triple, half the write time in memtable inserts). Fetching the next page overlaps with writing; batching members per transaction was measured and gave nothing")
        else:
            self.add("ldes-client: not installed on this machine (`bash tests/clients/install.sh`), so there is no peer figure.")
        self.add("")

    def validate(self):
        record = read(self.results, "validate.json")
        self.add("## Validation (Agora vs pySHACL)", "")
        if not record or not record.get("figures"):
            self.add("Not run." if not record else f"Failed: {step_note(record)}; see `{record['log']}`.", "")
            return
        fig = record["figures"]
        self.add(f"`{record['command']}` ({step_note(record)}).", "")
        for key in ("demo", "generated"):
            t = fig.get(key)
            if t:
                self.add(f"- {key} records, Agora alone: {fmt(t['records_per_s'])} records/s, "
                         f"{fmt(t['triples_per_s'])} triples/s, median {fmt(t['median_ms'], 3)} ms, p99 {fmt(t['p99_ms'], 3)} ms "
                         f"({t['validations']:,} validations).")
        self.add("", "| sample, mode | records | Agora records/s | pySHACL records/s | Agora / pySHACL | results Agora / pySHACL |",
                 "|---|---:|---:|---:|---:|---:|")
        for key, value in fig.items():
            if isinstance(value, dict) and "pyshacl" in value:
                a, p = value["agora"], value["pyshacl"]
                self.add(f"| {key} | {value['records']} | {fmt(a['records_per_s'])} | {fmt(p['records_per_s'])} | "
                         f"**{value['ratio']:.0f}** | {a['results']} / {p['results']} |")
                self.peer("validate", f"validation, {key}", a["records_per_s"], p["records_per_s"])
        self.add("")

    def push(self):
        record = read(self.results, "push.json")
        self.add("## Push and bulk load (bulk load vs `oxigraph load`)", "")
        if not record or not record.get("figures"):
            self.add("Not run." if not record else f"Failed: {step_note(record)}; see `{record['log']}`.", "")
            return
        fig = record["figures"]
        self.add(f"`{record['command']}` ({step_note(record)}).", "",
                 "| pushes through HTTP | store before | pushes/s | records/s | triples/s | median (ms) | p99 (ms) | refused |",
                 "|---|---:|---:|---:|---:|---:|---:|---:|")
        for p in fig.get("phases", []):
            self.add(f"| {p['phase']} | {p['stored_before']:,} | {fmt(p['pushes_per_s'])} | {fmt(p['records_per_s'])} | "
                     f"{fmt(p['triples_per_s'])} | {fmt(p['median_ms'])} | {fmt(p['p99_ms'])} | {p['refused']} |")
        loads = fig.get("loads", [])
        self.add("", "No peer for pushes (no other registry validates and versions per push); bulk load:", "",
                 "| tool | triples | s (median) | triples/s | store on disk | agora time / this time |",
                 "|---|---:|---:|---:|---:|---:|")
        agora = loads[0] if loads else None
        for load in loads:
            self.add(f"| {load['tool']} | {load['triples']:,} | {fmt(load['median_s'])} | {fmt(load['triples'] / load['median_s'])} | "
                     f"{mib(load['store_bytes'], 'bytes')} | {ratio(agora['median_s'], load['median_s'])} |")
        if len(loads) > 1:
            self.peer("load", f"bulk load of {loads[1]['triples']:,} triples (push bench; `agora load` vs `oxigraph load`)",
                      agora["median_s"], loads[1]["median_s"], higher_is_better=False,
                      why="`agora load` writes every triple twice (record graph and published default graph), the version-1 bookkeeping and an RDFC-1.0 hash per record, and compacts at the end")
        self.add("")

    def kaleidos(self):
        record = read(self.results, "kaleidos.json")
        self.add("## Kaleidos consumption (no peer)", "")
        if not record or not record.get("figures"):
            self.add("Not run." if not record else f"Failed: {step_note(record)}; see `{record['log']}`.", "")
            return
        fig = record["figures"]
        self.add(f"`{record['command']}` ({step_note(record)}).", "",
                 f"{fig['publications']:,} publications visible after {fmt(fig['until_visible_s'])} s: "
                 f"{fmt(fig['publications_per_s'])} publications/s; `/datasets` lists {fig['datasets_listed']}.", "")

    def closing(self):
        self.add("## Where Agora is furthest from its peer", "")
        if not self.far:
            self.add("No peer figures in this run.", "")
            return
        ranked = sorted(self.far, key=lambda item: item[0])
        worst, seen = [], set()
        for item in ranked:
            if item[1] not in seen:
                seen.add(item[1])
                worst.append(item)
        self.add("Every Agora/peer figure of this report as a speed ratio (above 1: Agora is faster); "
                 "the three lowest, one per kind of work:", "")
        for value, _, what, why in worst[:3]:
            self.add(f"1. {what}: **{value:.2f}**." + (f" Why: {why}." if why else ""))
        self.add("", "All of them, lowest first:", "", "| figure | Agora / peer (speed) |", "|---|---:|")
        for value, _, what, _ in ranked:
            self.add(f"| {what} | {value:.2f} |")
        self.add("")


# --- main --------------------------------------------------------------------------------------


def build(args, suite):
    env = {**os.environ, "CARGO_TARGET_DIR": str(Path(args.target_dir).expanduser())}
    log("building: cargo build --release --locked; cargo bench --locked --no-run")
    subprocess.run(["cargo", "build", "--release", "--locked"], cwd=REPO, env=env, check=True)
    keep_binary(suite)
    subprocess.run(["cargo", "bench", "--locked", "--no-run"], cwd=REPO, env=env, check=True)


def keep_binary(suite):
    """Copies the release binary into the results folder: the shared target folder's
    `release/agora` belongs to whichever worktree built last."""
    built = Path(suite.args.target_dir).expanduser() / "release" / "agora"
    if suite.args.agora or not built.exists():
        return
    bin_dir = suite.results / "bin"
    bin_dir.mkdir(exist_ok=True)
    shutil.copy2(built, suite.agora)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="the size of the once-only steps and the main tables")
    parser.add_argument("--sizes", help="comma-separated sizes for the scaling steps (default: --triples)")
    parser.add_argument("--quick", action="store_true", help="shorter measurements everywhere")
    parser.add_argument("--only", help=f"comma-separated steps out of {', '.join(SIZE_STEPS + ONCE_STEPS)}")
    parser.add_argument("--skip", help="comma-separated steps not to run")
    parser.add_argument("--harvest-max-triples", type=int, default=3_000_000,
                        help="run the full feed harvest only up to this size")
    parser.add_argument("--figures", default=str(REPO / "benches" / "results"),
                        help="where each step's figures are kept (committed with BENCHMARKS.md)")
    parser.add_argument("--results", default="~/.cache/agora/suite", help="logs, raw outputs and the binary copy")
    parser.add_argument("--rerun", action="store_true", help="measure steps again even if their figures are kept")
    parser.add_argument("--report-only", action="store_true", help="write BENCHMARKS.md from the kept figures")
    parser.add_argument("--no-build", action="store_true", help="do not run cargo build/bench --no-run first")
    parser.add_argument("--target-dir", default=os.environ.get("AGORA_BENCH_TARGET_DIR", "~/.cache/agora/target-dev"))
    parser.add_argument("--agora", help="the agora binary (default: a copy of the release build made by the suite, in --results/bin)")
    parser.add_argument("--bsbm-tools", help="an unpacked Tpt/bsbm-tools (or AGORA_BSBM_TOOLS)")
    parser.add_argument("--bsbm-mirror", help="a git copy of Tpt/bsbm-tools to unpack (or AGORA_BSBM_MIRROR)")
    parser.add_argument("--bsbm-products", type=int, default=10_000)
    parser.add_argument("--bsbm-runs", type=int, default=200)
    parser.add_argument("--bsbm-cache", default="~/.cache/agora/bsbm")
    parser.add_argument("--cache", default="~/.cache/agora/suite/data",
                        help="generated data and stores (its own: benches/sparql_mix.py's default cache may be in use by another run)")
    parser.add_argument("--out", default=str(REPO / "BENCHMARKS.md"))
    args = parser.parse_args()
    sizes = [int(s) for s in (args.sizes or str(args.triples)).split(",")]
    steps = list(SIZE_STEPS + ONCE_STEPS)
    if args.only:
        steps = [s for s in steps if s in args.only.split(",")]
    if args.skip:
        steps = [s for s in steps if s not in args.skip.split(",")]
    # The peers come from the tests' virtual environment (`bash tests/clients/install.sh`:
    # oxigraph, pySHACL); without this a run from a plain shell would find no `oxigraph`.
    venv = Path("~/.cache/agora/venv/bin").expanduser()
    if shutil.which("oxigraph") is None and (venv / "oxigraph").exists():
        os.environ["PATH"] = f"{venv}{os.pathsep}{os.environ.get('PATH', '')}"
        if Path(sys.executable).parent != venv:
            os.execv(venv / "python3", [str(venv / "python3"), *sys.argv])
    suite = Suite(args)
    signal.signal(signal.SIGTERM, lambda *_: (mix.stop_all(), sys.exit(1)))
    if not args.report_only:
        meta_file = suite.path("suite")
        meta = json.loads(meta_file.read_text()) if meta_file.exists() else {}
        invocation = "python3 benches/suite.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
        meta["invocations"] = list(dict.fromkeys(meta.get("invocations", []) + [invocation]))
        meta["machine"] = machine()
        meta["commit"] = suite.commit
        meta_file.write_text(json.dumps(meta, indent=1) + "\n")
        if not args.no_build:
            build(args, suite)
        if not Path(suite.agora).exists():
            sys.exit(f"{suite.agora} not found: build first (without --no-build)")
        try:
            for size in sizes:
                for step in SIZE_STEPS:
                    if step in steps and not suite.done(step, size):
                        getattr(suite, step)(size)
            for step in ONCE_STEPS:
                if step in steps and not suite.done(step):
                    getattr(suite, step)()
        finally:
            mix.stop_all()
    report = Report(args, suite.figures).render(sizes)
    Path(args.out).write_text(report)
    log(f"written to {args.out}")


if __name__ == "__main__":
    sys.exit(main())
