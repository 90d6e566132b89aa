"""caf_consensus: the C++ library caf-consensus from Python.

- ``caf_consensus.hanzo``: a drop-in for hanzo-consensus 0.1.0 (``Result``,
  ``State``, ``Consensus``, ``run``, ``MCPAgent``, ``MCPMesh``,
  ``create_mesh``, ``run_mcp_consensus``) on the native round engine.
- ``caf_consensus.sim``: the simulator of ``consensus-sim`` (scenarios,
  sweeps, summaries with intervals, advice verdicts).
"""

from . import _core, hanzo, sim

__all__ = ["hanzo", "sim", "__version__"]
#: The version of caf-consensus the extension was built from.
__version__ = _core.version.split()[-1]
