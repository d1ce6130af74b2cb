"""Queries an Agora SPARQL endpoint with SPARQLWrapper or with rdflib's SPARQLStore.

Run by tests/sparql_clients.rs as `python python_clients.py sparqlwrapper|rdflib`, with a JSON
object on standard input: the endpoint and the queries (`select`, `ask_yes`, `ask_no`,
`construct`). Prints the answers as JSON (terms as {"iri"}, {"bnode"} or {"value", "lang"|"datatype"})
so that the Rust test compares them with the demo data.
"""

import json
import sys

TIMEOUT_SECONDS = 30


def rdflib_term(term):
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return {"iri": str(term)}
    if isinstance(term, BNode):
        return {"bnode": str(term)}
    if isinstance(term, Literal):
        if term.language:
            return {"value": str(term), "lang": term.language}
        if term.datatype:
            return {"value": str(term), "datatype": str(term.datatype)}
        return {"value": str(term)}
    raise ValueError(f"unexpected term {term!r}")


def json_term(binding):
    """A term of SPARQL JSON results."""
    kind = binding["type"]
    if kind == "uri":
        return {"iri": binding["value"]}
    if kind == "bnode":
        return {"bnode": binding["value"]}
    term = {"value": binding["value"]}
    if "xml:lang" in binding:
        term["lang"] = binding["xml:lang"]
    elif "datatype" in binding:
        term["datatype"] = binding["datatype"]
    return term


def with_sparqlwrapper(spec):
    import SPARQLWrapper
    from SPARQLWrapper import GET, JSON, POST, XML

    def client(query, return_format, method):
        wrapper = SPARQLWrapper.SPARQLWrapper(spec["endpoint"])
        wrapper.setTimeout(TIMEOUT_SECONDS)
        wrapper.setQuery(query)
        wrapper.setReturnFormat(return_format)
        wrapper.setMethod(method)
        return wrapper.query().convert()

    select = client(spec["select"], JSON, GET)
    variables = select["head"]["vars"]
    rows = [
        [json_term(row[v]) if v in row else None for v in variables]
        for row in select["results"]["bindings"]
    ]
    # CONSTRUCT as RDF/XML, which SPARQLWrapper parses into an rdflib graph.
    graph = client(spec["construct"], XML, GET)
    return {
        "client": f"SPARQLWrapper {SPARQLWrapper.__version__}",
        "variables": variables,
        "select": rows,
        "ask_yes": client(spec["ask_yes"], JSON, POST)["boolean"],
        "ask_no": client(spec["ask_no"], JSON, POST)["boolean"],
        "construct": [[rdflib_term(t) for t in triple] for triple in graph],
    }


def with_rdflib(spec):
    import rdflib
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(spec["endpoint"], timeout=TIMEOUT_SECONDS)
    graph = rdflib.Graph(store=store)
    select = graph.query(spec["select"])
    variables = [str(v) for v in select.vars]
    rows = [[None if t is None else rdflib_term(t) for t in row] for row in select]
    return {
        "client": f"rdflib SPARQLStore {rdflib.__version__}",
        "variables": variables,
        "select": rows,
        "ask_yes": graph.query(spec["ask_yes"]).askAnswer,
        "ask_no": graph.query(spec["ask_no"]).askAnswer,
        "construct": [[rdflib_term(t) for t in triple] for triple in graph.query(spec["construct"])],
    }


def main():
    spec = json.load(sys.stdin)
    clients = {"sparqlwrapper": with_sparqlwrapper, "rdflib": with_rdflib}
    json.dump(clients[sys.argv[1]](spec), sys.stdout)


if __name__ == "__main__":
    main()
