"""The type stubs name what the modules define."""

import ast
import os

import caf_consensus._core as core
import caf_consensus.hanzo as hc

PKG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "caf_consensus")


def stub_names(name):
    tree = ast.parse(open(os.path.join(PKG, name)).read())
    out = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            out.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            out.add(node.target.id)
        elif isinstance(node, ast.Assign):
            out.update(t.id for t in node.targets)
    return out


def test_core_stub_matches_the_extension():
    public = {n for n in dir(core) if not n.startswith("_")}
    stubbed = stub_names("_core.pyi") - {"CallResult", "MTState"}
    assert stubbed == public


def test_hanzo_stub_covers_all():
    assert set(hc.__all__) <= stub_names("hanzo.pyi")
