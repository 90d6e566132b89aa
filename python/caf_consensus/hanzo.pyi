"""Drop-in for hanzo-consensus 0.1.0 (see hanzo.py)."""

from typing import Any, Awaitable, Callable, Dict, List, Optional

__all__: List[str]
__version__: str
POLICIES: tuple

class Result:
    id: str
    output: str
    ok: bool
    error: Optional[str]
    ms: int
    round: int
    def __init__(self, id: str, output: str, ok: bool,
                 error: Optional[str] = None, ms: int = 0, round: int = 0) -> None: ...

class State:
    prompt: str
    participants: List[str]
    rounds: int
    k: int
    alpha: float
    beta_1: float
    beta_2: float
    responses: Dict[str, List[str]]
    confidence: Dict[str, float]
    luminance: Dict[str, float]
    finalized: bool
    winner: Optional[str]
    synthesis: Optional[str]
    discussion_history: List[Dict[str, str]]
    def __init__(self, prompt: str, participants: List[str], rounds: int, k: int,
                 alpha: float, beta_1: float, beta_2: float,
                 responses: Dict[str, List[str]] = ...,
                 confidence: Dict[str, float] = ...,
                 luminance: Dict[str, float] = ...,
                 finalized: bool = False, winner: Optional[str] = None,
                 synthesis: Optional[str] = None,
                 discussion_history: List[Dict[str, str]] = ...) -> None: ...

Execute = Callable[[str, str], Awaitable[Result]]

class Consensus:
    participants: List[str]
    execute: Execute
    rounds: int
    k: int
    alpha: float
    beta_1: float
    beta_2: float
    policy: str
    seed: Optional[int]
    timeout: Optional[float]
    def __init__(self, participants: List[str], execute: Execute, rounds: int = 3,
                 k: int = 3, alpha: float = 0.6, beta_1: float = 0.5,
                 beta_2: float = 0.8, policy: str = "hanzo",
                 seed: Optional[int] = None, timeout: Optional[float] = None) -> None: ...
    async def run(self, prompt: str) -> State: ...

async def run(prompt: str, participants: List[str], execute: Execute,
              rounds: int = 3, k: int = 3, alpha: float = 0.6,
              beta_1: float = 0.5, beta_2: float = 0.8, *,
              policy: str = ..., seed: Optional[int] = ...,
              timeout: Optional[float] = ...) -> State: ...

class MCPAgent:
    id: str
    server: Any
    endpoint: Optional[str]
    tools: List[str]
    timeout: float
    connect_timeout: float
    def __init__(self, id: str, server: Any, endpoint: Optional[str] = None,
                 tools: List[str] = ...) -> None: ...
    async def call_tool(self, tool_name: str, **kwargs: Any) -> str: ...
    async def discuss(self, prompt: str, context: Dict[str, str]) -> str: ...
    def close(self) -> None: ...

class MCPMesh:
    agents: Dict[str, MCPAgent]
    def __init__(self) -> None: ...
    def register(self, agent_id: str, server: Any = None,
                 endpoint: Optional[str] = None) -> MCPAgent: ...
    def unregister(self, agent_id: str) -> None: ...
    def get(self, agent_id: str) -> Optional[MCPAgent]: ...
    @property
    def participant_ids(self) -> List[str]: ...
    async def call(self, from_agent: str, to_agent: str, tool_name: str,
                   **kwargs: Any) -> str: ...
    async def broadcast(self, from_agent: str, tool_name: str,
                        **kwargs: Any) -> Dict[str, str]: ...

async def run_mcp_consensus(mesh: MCPMesh, prompt: str, rounds: int = 10,
                            k: int = 3, alpha: float = 0.6, beta_1: float = 0.5,
                            beta_2: float = 0.8, *, policy: str = ...,
                            seed: Optional[int] = ...,
                            timeout: Optional[float] = ...) -> State: ...

def create_mesh(agents: Dict[str, Any]) -> MCPMesh: ...
