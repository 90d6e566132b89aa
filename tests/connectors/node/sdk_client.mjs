#!/usr/bin/env node
// The official MCP TypeScript SDK client talking to `consensus-sim mcp-serve`
// (stdio or Streamable HTTP) whose mesh is three SDK test agents. Checks the
// tool listing, one consensus call and two bad calls; prints one line per
// check and "N passed, M failed"; exits 0 only if all passed.
//
//   node sdk_client.mjs --sim PATH/consensus-sim --transport stdio|http
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const sim = option("--sim", "");
const transportKind = option("--transport", "stdio");
if (!sim) {
  console.error("usage: node sdk_client.mjs --sim PATH --transport stdio|http");
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const agent = (id, answer) =>
  `${id}=mcp+stdio:${process.execPath} ${path.join(here, "tool_server.mjs")} --answer '${answer}'`;
const serveArgs = [
  "mcp-serve",
  "--agent", agent("alpha", "The answer is 42"),
  "--agent", agent("beta", "The answer is 42"),
  "--agent", agent("gamma", "It is 41"),
  "--rounds", "2", "--k", "2", "--timeout-ms", "20000",
];

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? "PASS" : "FAIL"} ${name}${detail ? ": " + detail : ""}`);
}

let server; // the HTTP server process
async function connect() {
  const client = new Client({ name: "sdk-test-client", version: "1.0.0" });
  if (transportKind === "stdio") {
    await client.connect(new StdioClientTransport({ command: sim, args: serveArgs, stderr: "inherit" }));
    return client;
  }
  server = spawn(sim, [...serveArgs, "--http", "127.0.0.1:0"], { stdio: ["ignore", "inherit", "pipe"] });
  const url = await new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error("mcp-serve printed no address within 20 s")), 20000);
    server.stderr.on("data", (d) => {
      buf += d.toString();
      // Wait for the whole line: stderr may arrive in pieces ("...127.0.0.1" + ":port/mcp").
      const m = /listening on (http:\/\/\S+)\r?\n/.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.on("exit", (code) => reject(new Error(`mcp-serve exited early (${code}): ${buf}`)));
  });
  server.stderr.on("data", (d) => process.stderr.write(d));
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

const watchdog = setTimeout(() => {
  console.log("FAIL watchdog: no result within 90 s");
  if (server) server.kill("SIGKILL");
  process.exit(1);
}, 90000);

try {
  const client = await connect();
  check("server info", client.getServerVersion()?.name === "caf-consensus", JSON.stringify(client.getServerVersion()));
  const { tools } = await client.listTools();
  const tool = tools.find((t) => t.name === "consensus");
  check("lists the consensus tool", !!tool, JSON.stringify(tools.map((t) => t.name)));
  check("prompt is required", JSON.stringify(tool?.inputSchema?.required) === '["prompt"]');

  const res = await client.callTool({ name: "consensus", arguments: { prompt: "What is six times seven?" } });
  const text = res.content?.[0]?.text;
  const sc = res.structuredContent ?? {};
  check("consensus succeeds", res.isError !== true, text);
  check("agreed answer", text === "The answer is 42", text);
  check("finalized", sc.finalized === true, JSON.stringify({ winner: sc.winner, finalized: sc.finalized }));
  check("winner is a participant", ["alpha", "beta", "gamma"].includes(sc.winner), sc.winner);
  check("three participants answered", sc.participants?.length === 3 && sc.failures === 0, JSON.stringify(sc.participants?.map((p) => p.answer)));

  const sub = await client.callTool({ name: "consensus", arguments: { prompt: "Again?", participants: ["gamma"], rounds: 0 } });
  check("participant subset", sub.isError !== true && sub.content?.[0]?.text === "It is 41", sub.content?.[0]?.text);

  const bad = await client.callTool({ name: "consensus", arguments: { prompt: "x", participants: ["nobody"] } });
  check("unknown participant is a tool error", bad.isError === true && /unknown participant 'nobody'/.test(bad.content?.[0]?.text ?? ""), bad.content?.[0]?.text);

  const badParams = await client.callTool({ name: "consensus", arguments: { prompt: "x", alpha: 7 } });
  check("bad parameter is a tool error", badParams.isError === true && /alpha/.test(badParams.content?.[0]?.text ?? ""), badParams.content?.[0]?.text);

  await client.close();
} catch (e) {
  check("no exception", false, e?.stack ?? String(e));
}
if (server) {
  const code = await new Promise((resolve) => {
    server.on("exit", (c, sig) => resolve(sig ?? c));
    server.kill("SIGTERM");
  });
  check("mcp-serve stops on SIGTERM", code === 0, String(code));
}
clearTimeout(watchdog);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
