"""Bulk loads an N-Quads file into a fresh pyoxigraph store, then compacts it.

The fallback of `benches/push.rs` when the `oxigraph` command (pip package `oxigraph`) is not
installed: the same Oxigraph bulk loader through its Python bindings (pip package `pyoxigraph`).
The benchmark times the whole process, as it times `agora load` and `oxigraph load`.

    python3 benches/oxigraph_load.py FILE.nq STORE_DIR
"""

import sys
import time

from pyoxigraph import RdfFormat, Store


def main() -> None:
    source, location = sys.argv[1], sys.argv[2]
    started = time.perf_counter()
    store = Store(location)
    store.bulk_load(path=source, format=RdfFormat.N_QUADS)
    store.flush()
    store.optimize()
    print(f"{len(store)} quads loaded in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
