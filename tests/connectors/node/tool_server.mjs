#!/usr/bin/env node
// An MCP server built on the official MCP TypeScript SDK with a deterministic
// tool, for the connector tests of caf-consensus.
//
//   node tool_server.mjs [--http] [--json-response] [--answer TEXT]
//                        [--tool NAME] [--fault KIND] [--require-bearer TOKEN]
//                        [--start-delay MS]
//
// --start-delay MS: a server slow to start (stdio): it waits MS
// milliseconds before it reads its first message.
//
// Transport: stdio (default) or Streamable HTTP on 127.0.0.1 with a free
// port (prints "LISTENING <url>" on stdout). In HTTP mode an "X-Answer"
// header at initialize sets the session's answer.
//
// The tool (default name "think", argument "prompt"): in round 0 (a prompt
// without a "Peers:" section) it returns its answer; in refinement rounds it
// returns the most common text among the peers' "[id] text" lines and its own
// current answer (ties keep its own), and adopts that answer. Deterministic.
//
// Faults (--fault):
//   error          the tool throws (the SDK returns an isError result)
//   stall          the tool never returns
//   crash-on-call=N  the process kills itself (SIGKILL) on the N-th call
//   garbage        writes a non-JSON line to stdout before each tool reply
//   huge=N         the tool returns N bytes of text
//   slow=MS        the tool answers after MS milliseconds
//
// A seeded persona for recorded examples (docs/traces.md), for prompts of
// the form "What is A plus B?":
//   --accuracy P   in round 0 answers A+B (the number) with probability P,
//                  else a near miss (A+B+1, A+B-1 or A+B+10)
//   --conform P    in refinement rounds adopts the peers' majority with
//                  probability P, else keeps its answer (default 1)
//   --latency-ms M waits M * (0.5 + u) milliseconds per call
//   --seed S       seeds the draws above: each is a hash of the seed, the
//                  question and the call, so a persona answers the same
//                  question the same way every time
import http from "node:http";
import { randomUUID } from "node:crypto";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const flag = (name) => process.argv.includes(name);

const useHttp = flag("--http");
const jsonResponse = flag("--json-response");
const defaultAnswer = option("--answer", "The answer is 42");
const toolName = option("--tool", "think");
const fault = option("--fault", "none");
const bearer = option("--require-bearer", "");
const startDelay = Number(option("--start-delay", "0"));
let calls = 0;
const accuracy = option("--accuracy", "");
const conform = Number(option("--conform", "1"));
const latencyMs = Number(option("--latency-ms", "0"));
const seed = option("--seed", "0");

/// Returns a uniform draw in [0, 1) from the text `key` (FNV-1a, 32 bits).
function uniform(key) {
  let h = 0x811c9dc5;
  for (const ch of `${seed}|${key}`) {
    h ^= ch.codePointAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 4294967296;
}

/// The persona's round-0 answer to "What is A plus B?".
function personaAnswer(prompt) {
  const m = /What is (-?\d+) plus (-?\d+)\?/.exec(prompt);
  if (!m) return defaultAnswer;
  const sum = Number(m[1]) + Number(m[2]);
  if (uniform(`right|${prompt}`) < Number(accuracy)) return `${sum}`;
  const offsets = [1, -1, 10];
  const off = offsets[Math.floor(uniform(`miss|${prompt}`) * offsets.length)];
  return `${sum + off}`;
}

/// Returns the majority text among peers and `own` (ties keep `own`).
function refine(prompt, own) {
  const at = prompt.indexOf("\nPeers:\n");
  if (at < 0) return own;
  const counts = new Map([[own, 1]]);
  for (const line of prompt.slice(at + 8).split("\n")) {
    const m = /^\[[^\]]*\] (.*)$/.exec(line);
    if (m) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  }
  let best = own;
  for (const [text, n] of counts) if (n > counts.get(best)) best = text;
  return best;
}

function makeServer(initialAnswer) {
  const state = { answer: initialAnswer, round: 0 };
  const server = new McpServer({ name: "caf-consensus-test-agent", version: "1.0.0" });
  server.registerTool(
    toolName,
    {
      description: "Answers the prompt deterministically (test agent)",
      inputSchema: { prompt: z.string() },
    },
    async ({ prompt }) => {
      calls += 1;
      if (fault.startsWith("crash-on-call=") && calls === Number(fault.split("=")[1]))
        process.kill(process.pid, "SIGKILL");
      if (fault === "error") throw new Error("deliberate failure in the test tool");
      if (fault === "stall") await new Promise(() => {});
      if (fault.startsWith("slow="))
        await new Promise((r) => setTimeout(r, Number(fault.split("=")[1])));
      if (fault === "garbage") process.stdout.write("this is not JSON\n");
      if (fault.startsWith("huge="))
        return { content: [{ type: "text", text: "x".repeat(Number(fault.split("=")[1])) }] };
      if (accuracy !== "") {
        const question = prompt.startsWith("Query: ")
          ? prompt.slice(7, prompt.indexOf("\n")) : prompt;
        const round = prompt.indexOf("\nPeers:\n") < 0 ? 0 : ++state.round;
        if (latencyMs > 0)
          await new Promise((r) => setTimeout(r,
            latencyMs * (0.5 + uniform(`latency|${question}|${round}`))));
        if (round === 0) state.answer = personaAnswer(question);
        else if (uniform(`conform|${question}|${round}`) < conform)
          state.answer = refine(prompt, state.answer);
        return { content: [{ type: "text", text: state.answer }] };
      }
      state.answer = refine(prompt, state.answer);
      return { content: [{ type: "text", text: state.answer }] };
    },
  );
  // A second tool so that tool selection is exercised.
  server.registerTool(
    "echo",
    { description: "Echoes its text", inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: "text", text }] }),
  );
  return server;
}

if (!useHttp) {
  if (startDelay > 0) await new Promise((r) => setTimeout(r, startDelay));
  await makeServer(defaultAnswer).connect(new StdioServerTransport());
} else {
  const transports = new Map();
  const httpServer = http.createServer(async (req, res) => {
    try {
      if (bearer && req.headers["authorization"] !== `Bearer ${bearer}`) {
        res.writeHead(401, { "content-type": "application/json" });
        res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32001, message: "missing or wrong bearer token" }, id: null }));
        return;
      }
      let body;
      if (req.method === "POST") {
        const chunks = [];
        for await (const c of req) chunks.push(c);
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      }
      const sid = req.headers["mcp-session-id"];
      if (sid && transports.has(sid)) {
        await transports.get(sid).handleRequest(req, res, body);
        return;
      }
      if (!sid && req.method === "POST" && isInitializeRequest(body)) {
        const transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          enableJsonResponse: jsonResponse,
          onsessioninitialized: (id) => transports.set(id, transport),
        });
        transport.onclose = () => transports.delete(transport.sessionId);
        const answer = req.headers["x-answer"] ?? defaultAnswer;
        await makeServer(answer).connect(transport);
        await transport.handleRequest(req, res, body);
        return;
      }
      res.writeHead(sid ? 404 : 400, { "content-type": "application/json" });
      res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message: sid ? "unknown session" : "no session" }, id: null }));
    } catch (e) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e));
    }
  });
  httpServer.listen(0, "127.0.0.1", () => {
    const { port } = httpServer.address();
    process.stdout.write(`LISTENING http://127.0.0.1:${port}/mcp\n`);
  });
  process.on("SIGTERM", () => process.exit(0));
}
