#!/usr/bin/env python3
"""Times pySHACL on the data that Agora's validation benchmark (benches/validate.rs) validates.

    pyshacl_validate.py --shapes FILE.ttl... --reference FILE.nt --data FILE.nq --mode per-record|whole

The shapes files are merged into one shapes graph. The data is N-Quads with one
named graph per record; the reference data (ontology and code lists) is N-Triples.

- per-record: each record is validated in its own data graph holding the record and the
  reference data, as Agora validates (one pyshacl.validate call per record).
- whole: one data graph holds every record and the reference data (one call).

Everything is parsed before the clock starts; only pyshacl.validate(...) is timed. The data
graphs are built for the purpose, so validation runs with inplace=True (no copy of the data
graph) and no inference. Prints one JSON object on stdout.
"""

import argparse
import json
import statistics
import sys
import time

import pyshacl
import rdflib

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def load_shapes(paths):
    shapes = rdflib.Graph()
    for path in paths:
        shapes.parse(path, format="turtle")
    return shapes


def load_records(path):
    """The records of an N-Quads file, in file order: a list of lists of triples."""
    dataset = rdflib.Dataset()
    dataset.parse(path, format="nquads")
    by_graph = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = str(getattr(g, "identifier", g))
        by_graph.setdefault(name, []).append((s, p, o))
    # Graph names are urn:x-agora-bench:record:<index>: keep the order they were written in.
    return [by_graph[g] for g in sorted(by_graph, key=lambda g: int(g.rsplit(":", 1)[1]))]


def validate(data, shapes):
    """Validates one data graph; returns (seconds, conforms, number of results)."""
    start = time.perf_counter()
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, inplace=True, inference="none", advanced=False
    )
    seconds = time.perf_counter() - start
    results = sum(1 for _ in report.subjects(rdflib.RDF.type, SH.ValidationResult))
    return seconds, conforms, results


def percentile(values, fraction):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, int(-(-fraction * len(ordered) // 1)) - 1))
    return ordered[index]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", required=True, nargs="+")
    parser.add_argument("--reference", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--mode", choices=["per-record", "whole"], required=True)
    args = parser.parse_args()

    shapes = load_shapes(args.shapes)
    reference = rdflib.Graph()
    reference.parse(args.reference, format="nt")
    records = load_records(args.data)
    triples = sum(len(record) for record in records)

    latencies = []
    results = 0
    nonconforming = 0
    if args.mode == "per-record":
        for record in records:
            data = rdflib.Graph()
            data += reference
            for triple in record:
                data.add(triple)
            seconds, conforms, count = validate(data, shapes)
            latencies.append(seconds)
            results += count
            nonconforming += 0 if conforms else 1
    else:
        data = rdflib.Graph()
        data += reference
        for record in records:
            for triple in record:
                data.add(triple)
        seconds, conforms, results = validate(data, shapes)
        latencies.append(seconds)
        nonconforming = 0 if conforms else None

    total = sum(latencies)
    json.dump(
        {
            "engine": f"pySHACL {pyshacl.__version__} (rdflib {rdflib.__version__}, "
            f"Python {sys.version.split()[0]})",
            "mode": args.mode,
            "records": len(records),
            "triples": triples,
            "seconds": total,
            "records_per_second": len(records) / total if total > 0 else None,
            "median_ms": statistics.median(latencies) * 1000,
            "p99_ms": percentile(latencies, 0.99) * 1000,
            "results": results,
            "nonconforming_records": nonconforming,
        },
        sys.stdout,
    )
    print()


if __name__ == "__main__":
    main()
