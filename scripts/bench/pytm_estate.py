#!/usr/bin/env python3
"""OWASP pytm's side of BENCHMARKS.md: the architecture of
`tests/common/testkit.rs::pytm_estate(n)` built with pytm (1.4 from PyPI),
processed as pytm's own CLI does, findings written as JSON.

    python3 scripts/bench/pytm_estate.py N OUT.json

N functions; N/2 stores (DynamoDB, S3, Aurora in turn); N/4 API entry
points; 2 actors; 3 boundaries (Internet, account, a VPC inside it);
actor -> entry, entry -> function, function -> written store, read store ->
function, function -> next function (3N flows); 10 data assets. pytm has no
permission grants; the grants are left out on its side.
"""
import sys

from pytm import TM, Actor, Boundary, Classification, Data, Dataflow, Datastore, DatastoreType, Lambda, Process


def build(n):
    n = max(n, 4)
    tm = TM(f"pytm estate {n}")
    tm.description = "Threatwright benchmark architecture"
    tm.isOrdered = False
    internet = Boundary("Internet")
    account = Boundary("Account")
    vpc = Boundary("VPC")
    vpc.inBoundary = account
    levels = [Classification.PUBLIC, Classification.RESTRICTED, Classification.SENSITIVE, Classification.SECRET]
    data = [Data(f"Data {i}", classification=levels[i % 4], isPII=(i % 3 == 0)) for i in range(10)]
    actors = [Actor(name, inBoundary=internet) for name in ("User", "Administrator")]
    functions = []
    for i in range(n):
        f = Lambda(f"fn{i}", inBoundary=vpc if i % 2 == 0 else account)
        f.environment = "TABLE_NAME STAGE"
        functions.append(f)
    kinds = [("table", DatastoreType.UNKNOWN), ("bucket", DatastoreType.AWS_S3), ("db", DatastoreType.SQL)]
    stores = []
    for i in range(n // 2):
        word, kind = kinds[i % 3]
        s = Datastore(f"{word}{i}", inBoundary=vpc if kind == DatastoreType.SQL else account)
        s.type = kind
        s.isEncryptedAtRest = i % 4 != 0
        s.hasWriteAccess = True
        stores.append(s)
    entries = []
    for i in range(n // 4):
        e = Process(f"api{i}", inBoundary=account)
        e.implementsAuthenticationScheme = i % 2 == 0
        entries.append(e)

    def flow(src, dst, name, asset):
        f = Dataflow(src, dst, name)
        f.protocol = "HTTPS"
        f.isEncrypted = True
        f.data = [asset]

    for i, entry in enumerate(entries):
        flow(actors[i % 2], entry, f"request{i}", data[i % 10])
        flow(entry, functions[4 * i % n], f"invoke{i}", data[i % 10])
    for i, fn in enumerate(functions):
        flow(fn, stores[i % len(stores)], f"write{i}", data[(i + 1) % 10])
        flow(stores[(i * 7 + 1) % len(stores)], fn, f"read{i}", data[(i + 2) % 10])
    for i in range(n // 2):
        flow(functions[2 * i], functions[2 * i + 1], f"call{i}", data[i % 10])
    return tm


if __name__ == "__main__":
    n, out = int(sys.argv[1]), sys.argv[2]
    tm = build(n)
    sys.argv = [sys.argv[0], "--json", out]
    tm.process()
