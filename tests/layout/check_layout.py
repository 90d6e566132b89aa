#!/usr/bin/env python3
"""Checks the layout rules of docs/architecture.md on a source tree.

1. No include cycles. A unit is a header with its source (caf/consensus/X.hpp
   and src/X.cpp of the same library); a cycle of includes between units
   fails, even when it only closes through a .cpp file.
2. Includes point one way: core <- connectors <- sim layers <- cli, and
   inside sim/ only to a lower layer (see LAYERS) or within the same folder.
3. No source file over MAX_LINES lines (tests, generated and data files
   excepted).
4. One way to start processes: posix_spawn is called in exactly one source
   file (connectors::process); comments do not count. Test code (tests/)
   is outside the checked roots.

usage: check_layout.py ROOT [--max-lines N]
Prints one line per violation and exits 1 if there is any, 0 otherwise.
"""

import os
import re
import sys

# Library roots: (folder, include prefix of its public headers).
ROOTS = ["libcaf_consensus", "libcaf_consensus_connectors", "sim"]

# Rank of each part; an include must go to a lower rank or stay in its part.
# Parts of equal rank must not include each other.
LAYERS = {
    "core": 0,  # libcaf_consensus
    "connectors": 1,  # libcaf_consensus_connectors
    "sim": 2,  # sim/caf/consensus/sim/*.hpp (version)
    "sim/agents": 3,
    "sim/snow": 3,
    "sim/scenario": 4,
    "sim/engine": 5,
    "sim/conformance": 5,
    "sim/sweep": 6,
    "sim/store": 7,
    "sim/report": 8,
    "sim/advice": 9,
    "sim/tune": 9,
    "sim/cli": 10,
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)

# Comments (// to the end of the line, /* ... */) and uses of posix_spawn*.
COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
SPAWN = re.compile(r"\bposix_spawn")


def source_files(root):
    for base in ROOTS:
        top = os.path.join(root, base)
        for dirpath, _, names in os.walk(top):
            for n in sorted(names):
                if n.endswith((".hpp", ".cpp")):
                    yield os.path.relpath(os.path.join(dirpath, n), root)


def unit_of(path):
    """Returns (unit name, part) of a file path relative to the root."""
    base, rest = path.split("/", 1)
    stem = os.path.splitext(rest)[0]
    if base == "sim":
        if rest.startswith("caf/consensus/sim/"):
            name = stem[len("caf/consensus/sim/"):]
        elif rest.startswith("src/"):
            name = stem[len("src/"):]
        else:  # sim/cli/*, sim/main.cpp
            name = stem
        folder = name.split("/")[0] if "/" in name else ""
        if name.startswith("cli/") or name == "main":
            part = "sim/cli"
        elif folder:
            part = "sim/" + folder
        else:
            part = "sim"
        return "sim:" + name, part
    prefix = "caf/consensus/"
    if rest.startswith(prefix):
        name = stem[len(prefix):]
    elif rest.startswith("src/"):
        name = stem[len("src/"):]
    else:
        name = stem
    part = "core" if base == "libcaf_consensus" else "connectors"
    return base + ":" + name, part


def resolve(root, including, target):
    """Returns the path (relative to root) an include names, or None for a
    header outside the project (CAF, system)."""
    here = os.path.dirname(including)
    candidates = [os.path.normpath(os.path.join(here, target))]
    candidates += [os.path.join(b, target) for b in ROOTS]
    for c in candidates:
        if os.path.isfile(os.path.join(root, c)):
            return c
    return None


def find_cycles(graph):
    """Returns the strongly connected components with more than one unit
    (Tarjan, iterative)."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                    advanced = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[-3], file=sys.stderr)
        return 2
    root = argv[1]
    max_lines = 500
    if "--max-lines" in argv:
        max_lines = int(argv[argv.index("--max-lines") + 1])
    problems = []
    graph = {}
    parts = {}
    spawners = []
    for path in source_files(root):
        unit, part = unit_of(path)
        parts[unit] = part
        graph.setdefault(unit, set())
        with open(os.path.join(root, path), encoding="utf-8") as f:
            text = f.read()
        lines = text.count("\n")
        if SPAWN.search(COMMENT.sub("", text)):
            spawners.append(path)
        if lines > max_lines:
            problems.append(f"{path}: {lines} lines (limit {max_lines}): "
                            "split it by responsibility")
        for m in INCLUDE.finditer(text):
            target = resolve(root, path, m.group(1))
            if target is None:
                continue
            tunit, tpart = unit_of(target)
            if tunit == unit:
                continue
            graph[unit].add(tunit)
            if tpart != part and LAYERS[tpart] >= LAYERS[part]:
                line = text.count("\n", 0, m.start()) + 1
                problems.append(
                    f"{path}:{line}: includes '{m.group(1)}': {part} may "
                    f"not depend on {tpart} (layers: docs/architecture.md)")
    for comp in find_cycles(graph):
        problems.append("include cycle between units: " + " <-> ".join(comp))
    if len(spawners) != 1:
        problems.append(
            f"posix_spawn is used in {len(spawners)} files "
            f"({', '.join(spawners) or 'none'}); expected exactly one: start "
            "processes through connectors::process (or run_process)")
    for p in problems:
        print(p)
    units = len(graph)
    edges = sum(len(v) for v in graph.values())
    print(f"{units} units, {edges} include edges, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
