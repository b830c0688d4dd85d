"""The claim registry, dependency graph and runner."""
import json

import networkx as nx
import pytest

from symadam.core import CheckContext, Claim, graph, load_all, run_claims, select
from symadam.core.derivation import Derivation


def test_every_claim_has_statement_paper_and_derivation():
    claims = load_all()
    assert claims, "no claims registered"
    for c in claims.values():
        assert c.statement and c.paper and "." in c.id
        assert callable(c.check) and callable(c.derive)
    assert nx.is_directed_acyclic_graph(graph(claims))


def _fake(id, ok=True, deps=(), boom=False):
    def check(ctx):
        if boom:
            raise RuntimeError("boom")
        return ctx.evidence(ok, "fake", "0")
    return Claim(id, "standard", "s", tuple(deps), lambda: Derivation("t"), check)


def test_runner_marks_dependents_of_failures_as_error(monkeypatch):
    fake = {c.id: c for c in [
        _fake("t.a", ok=False), _fake("t.b", deps=["t.a"]), _fake("t.c", boom=True),
        _fake("t.d")]}
    import symadam.core.registry as reg
    monkeypatch.setattr(reg, "load_all", lambda: fake)
    ev = {e.claim_id: e for e in run_claims(select([], fake), dps=20)}
    assert ev["t.a"].status == "failed"
    assert ev["t.b"].status == "error" and "t.a" in ev["t.b"].details["reason"]
    assert ev["t.c"].status == "error" and "boom" in ev["t.c"].details["exception"]
    assert ev["t.d"].status == "verified"
    json.dumps([e.to_dict() for e in ev.values()])


def test_select_pulls_in_dependencies():
    fake = {c.id: c for c in [_fake("t.a"), _fake("u.b", deps=["t.a"])]}
    assert select(["u"], fake) == ["t.a", "u.b"]
    with pytest.raises(ValueError, match="matches no registered claim"):
        select(["v"], fake)


def test_cycle_is_rejected():
    fake = {c.id: c for c in [_fake("t.a", deps=["t.b"]), _fake("t.b", deps=["t.a"])]}
    with pytest.raises(ValueError, match="cycle"):
        graph(fake)


def test_seed_sequences_differ_between_claims():
    a = CheckContext("x.a", seed=1).seed_sequence().generate_state(2)
    b = CheckContext("x.b", seed=1).seed_sequence().generate_state(2)
    a2 = CheckContext("x.a", seed=1).seed_sequence().generate_state(2)
    assert list(a) != list(b) and list(a) == list(a2)
