"""Published snapshots of the RDF store: a writer in one process, readers in others, never blocking each other."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import clean_env

from ieic_kg.rdfsnapshot import GenerationGone, Lease, current, remove_unused, snapshots_dir
from ieic_kg.rdfstore import RdfStore
from ieic_kg.sparqlpool import SparqlJob, SparqlPool

G1, G2 = "https://example.org/graph/one", "https://example.org/graph/two"


def triples(prefix: str, n: int) -> list[ox.Triple]:
    return [
        ox.Triple(
            ox.NamedNode(f"https://example.org/{prefix}/{i}"), ox.NamedNode("https://example.org/p"), ox.Literal(str(i))
        )
        for i in range(n)
    ]


def count(store: ox.Store, graph: str) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


def test_closing_a_changed_store_publishes_a_generation_readers_open_read_only(tmp_path: Path) -> None:
    path = tmp_path / "rdf"
    root = snapshots_dir(path)
    assert root == tmp_path / "rdf-snapshots"
    with RdfStore(path) as store:
        store.replace_graph(G1, triples("a", 10))
        assert current(root) is None  # nothing before the writer is done
    first = current(root)
    assert first is not None and first.name == "00000001"
    reader = ox.Store.read_only(str(first.path))
    assert count(reader, G1) == 10

    with RdfStore(path):  # opened and closed without a change: nothing new to publish
        pass
    assert current(root) == first

    with RdfStore(path) as store:
        store.replace_graph(G2, triples("b", 5))
    second = current(root)
    assert second is not None and second.name == "00000002"
    assert count(ox.Store.read_only(str(second.path)), G2) == 5
    assert count(reader, G2) == 0  # the open reader keeps its generation


def test_an_unchanged_store_without_snapshots_publishes_one(tmp_path: Path) -> None:
    path = tmp_path / "rdf"
    with RdfStore(path) as store:
        store.replace_graph(G1, triples("a", 3))
    # a store made before snapshots existed: its snapshots folder is gone
    for p in sorted(snapshots_dir(path).iterdir(), reverse=True):
        if p.is_dir():
            for f in p.iterdir():
                f.unlink()
            p.rmdir()
        else:
            p.unlink()
    assert current(snapshots_dir(path)) is None
    RdfStore(path).close()
    generation = current(snapshots_dir(path))
    assert generation is not None
    assert count(ox.Store.read_only(str(generation.path)), G1) == 3


def test_old_generations_are_removed_unless_a_reader_holds_them(tmp_path: Path) -> None:
    path = tmp_path / "rdf"
    root = snapshots_dir(path)
    with RdfStore(path) as store:
        store.replace_graph(G1, triples("a", 3))
    held = Lease(root, "00000001")
    for n in (4, 5):
        with RdfStore(path) as store:
            store.replace_graph(G1, triples("a", n))
    names = sorted(p.name for p in root.iterdir() if p.is_dir())
    assert names == ["00000001", "00000003"], names  # 2 was free and removed; 1 is held; 3 is current
    held.close()
    assert remove_unused(root) == ["00000001"]
    assert sorted(p.name for p in root.iterdir() if p.is_dir()) == ["00000003"]
    with pytest.raises(GenerationGone):
        Lease(root, "00000001")


def test_a_reader_in_another_process_blocks_removal_until_it_exits(tmp_path: Path) -> None:
    path = tmp_path / "rdf"
    root = snapshots_dir(path)
    with RdfStore(path) as store:
        store.replace_graph(G1, triples("a", 3))
    code = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        import pyoxigraph as ox
        from ieic_kg.rdfsnapshot import Lease
        lease = Lease(Path(r"{root}"), "00000001")
        store = ox.Store.read_only(str(lease.path))
        print(sum(1 for _ in store.quads_for_pattern(None, None, None, None)), flush=True)
        sys.stdin.readline()
        """
    )
    reader = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "6"  # 3 in G1, 3 in the union
        with RdfStore(path) as store:
            store.replace_graph(G1, triples("a", 7))
        assert (root / "00000001").is_dir()  # the other process still reads it
    finally:
        reader.communicate("\n", timeout=30)
    assert remove_unused(root) == ["00000001"]


def test_the_pool_serves_while_another_process_writes_and_switches_after_it_publishes(tmp_path: Path) -> None:
    path = tmp_path / "rdf"
    with RdfStore(path) as store:
        store.replace_graph(G1, triples("a", 100))
    pool = SparqlPool(snapshots_dir(path), 1)
    pool.start()
    job = SparqlJob(f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}", "text/csv", None)
    try:
        writer = subprocess.Popen(
            [
                sys.executable,
                "-c",
                textwrap.dedent(
                    f"""
                    import sys
                    from pathlib import Path
                    import pyoxigraph as ox
                    from ieic_kg.rdfstore import RdfStore
                    with RdfStore(Path(r"{path}")) as store:
                        t = [ox.Triple(ox.NamedNode(f"https://example.org/b/{{i}}"), ox.NamedNode("https://example.org/p"),
                             ox.Literal(str(i))) for i in range(5000)]
                        store.replace_graph("{G2}", t)
                        print("written", flush=True)
                        sys.stdin.readline()
                    """
                ),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout is not None and writer.stdout.readline().strip() == "written"
        # the writer holds the store and has written G2, but has not published: readers see the old state
        before = pool.run(job, 30)
        assert before.body.split() == [b"n", b"0"] and before.generation == "00000001"
        writer.communicate("\n", timeout=60)
        assert writer.returncode == 0
        after = pool.run(job, 30)
        assert after.generation == "00000002" and after.body.split() == [b"n", b"5000"]
    finally:
        pool.close()


def test_an_idle_worker_lets_go_of_a_replaced_generation(tmp_path: Path) -> None:
    path = tmp_path / "rdf"
    root = snapshots_dir(path)
    with RdfStore(path) as store:
        store.replace_graph(G1, triples("a", 10))
    pool = SparqlPool(root, 1)
    pool.start()
    try:
        assert pool.run(SparqlJob("ASK {}", "text/csv", None), 30).generation == "00000001"
        with RdfStore(path) as store:  # publishes 00000002; the worker holds 00000001, so it stays for now
            store.replace_graph(G2, triples("b", 5))
        assert current(root) is not None and current(root).name == "00000002"  # type: ignore[union-attr]
        # no query comes: the idle worker notices the new generation by itself and lets the old one go
        deadline = time.monotonic() + 30
        while (root / "00000001").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not (root / "00000001").exists()
        assert pool.run(SparqlJob("ASK {}", "text/csv", None), 30).generation == "00000002"
    finally:
        pool.close()


def test_the_sparql_command_reads_the_snapshot_while_another_process_writes_the_store(tmp_path: Path) -> None:
    path = tmp_path / "rdf"
    with RdfStore(path) as store:
        store.replace_graph(G1, triples("a", 3))
    env = clean_env(IEIC_DATA_DIR=str(tmp_path))
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}"
    ieic_kg = str(Path(sys.executable).parent / "ieic-kg")
    with RdfStore(path) as writer:  # this process holds the live store (as a load does) and changes it
        writer.replace_graph(G1, triples("a", 7))
        done = subprocess.run(
            [ieic_kg, "sparql", query, "--format", "json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert json.loads(done.stdout) == [{"n": 3}]  # the published state, not the half-done load
    after = subprocess.run(
        [ieic_kg, "sparql", query, "--format", "json"], env=env, capture_output=True, text=True, timeout=120
    )
    assert after.returncode == 0 and json.loads(after.stdout) == [{"n": 7}]
