"""Drop-in for hanzo-consensus 0.1.0 on the native engine of caf-consensus.

``import caf_consensus.hanzo as hanzo_consensus`` and code written for the
reference runs unchanged: the same names (``__all__``), signatures, defaults
and return types. By default the policy is ``hanzo`` (the reference's exact
behaviour): after ``random.seed(n)`` a run gives the same ``State`` as the
reference, float for float, and leaves the global ``random`` module in the
state the reference leaves it in.

Differences (all documented in docs/python.md):

- ``State.discussion_history`` is filled: one dict per round (round 0 = the
  initial proposals) mapping participant -> output. The reference defines
  the field but leaves it empty.
- An exception raised by ``execute`` is a failed call (``ok=False``, the
  error text recorded, output ``""``); the reference lets it escape from
  ``run`` and loses the run.
- Invalid input (no participants, duplicate or empty ids) raises
  ``ValueError`` before any call; the reference fails later or silently
  merges duplicates.
- A ``Result`` is filed under the participant that was called, whatever its
  ``id`` says.
- Keywords beyond the reference's: ``policy`` (``hanzo``, ``metastable``,
  ``snowball``, ``vote``), ``seed`` (an int: a private generator instead of
  the global ``random`` module), ``timeout`` (seconds per call, default
  none).
"""

from ._consensus import POLICIES, Consensus, Result, State, run
from .mcp import MCPAgent, MCPMesh, create_mesh, run_mcp_consensus

__all__ = [
    # Core
    "Consensus",
    "State",
    "Result",
    "run",
    # MCP Mesh
    "MCPMesh",
    "MCPAgent",
    "run_mcp_consensus",
    "create_mesh",
]
__version__ = "0.1.0"
