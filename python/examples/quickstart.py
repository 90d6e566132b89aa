"""The quick start of hanzo-consensus's README, with the import changed.

    PYTHONPATH=build/python python3 python/examples/quickstart.py
"""

import asyncio

from caf_consensus.hanzo import run, Result  # was: from hanzo_consensus import run, Result

ANSWERS = {
    "agent1": "Use exponential backoff with jitter and cap the retries",
    "agent2": "Use exponential backoff with jitter",
    "agent3": "Retry immediately with a fixed delay",
}


async def call_agent(participant, prompt):
    """Stands in for a model call: a fixed answer after 100 ms."""
    await asyncio.sleep(0.1)
    return ANSWERS[participant]


async def execute(participant: str, prompt: str) -> Result:
    output = await call_agent(participant, prompt)
    return Result(id=participant, output=output, ok=True, ms=100)


async def main():
    state = await run(
        prompt="What is the best approach?",
        participants=["agent1", "agent2", "agent3"],
        execute=execute,
        rounds=3,
    )
    print(f"Winner: {state.winner}")
    print(f"Synthesis: {state.synthesis}")


asyncio.run(main())
