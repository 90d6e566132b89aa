"""Shared fixtures of the caf_consensus tests.

Environment (set by CTest, see python/CMakeLists.txt):
  PYTHONPATH                   the build tree's python/ (the package)
  CAF_CONSENSUS_SOURCE_DIR     the source tree
  CAF_CONSENSUS_REFERENCE      folder holding hanzo_consensus/ (the
                               reference); default SOURCE/../shared/reference
  CAF_CONSENSUS_SIM            the consensus-sim program
  CAF_CONSENSUS_NODE           node, and CAF_CONSENSUS_NODE_DIR the folder
                               with the SDK test servers and node_modules
"""

import importlib
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get(
    "CAF_CONSENSUS_SOURCE_DIR", os.path.normpath(os.path.join(HERE, "..", ".."))
)


def reference_dir():
    return os.environ.get("CAF_CONSENSUS_REFERENCE") or os.path.normpath(
        os.path.join(SOURCE_DIR, "..", "shared", "reference")
    )


def load_reference():
    """The reference package hanzo_consensus, or (None, reason)."""
    where = reference_dir()
    if not os.path.isfile(os.path.join(where, "hanzo_consensus", "consensus.py")):
        return None, (
            f"the reference hanzo_consensus is not in {where} (set "
            "CAF_CONSENSUS_REFERENCE to the folder that holds it)"
        )
    if where not in sys.path:
        sys.path.insert(0, where)
    return importlib.import_module("hanzo_consensus"), None


@pytest.fixture(scope="session")
def reference():
    mod, why = load_reference()
    if mod is None:
        pytest.skip(why)
    return mod


@pytest.fixture(scope="session")
def source_dir():
    return SOURCE_DIR
