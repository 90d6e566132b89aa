#!/usr/bin/env node
// A hand-written stdio MCP server (no SDK) that misbehaves on purpose, for
// the client's protocol tests.
//
//   node fake_server.mjs MODE
//
// Modes:
//   version=V      answers initialize with protocol version V
//   ping-first     before answering tools/call, sends the client a ping
//                  request and answers "ping answered" only if the client
//                  replied with an empty result
//   notify         sends log notifications around every reply
//   rpc-error      answers tools/call with a JSON-RPC error
//   stale          answers tools/call first under a wrong id, then correctly
//   bad-jsonrpc    answers tools/call with "jsonrpc": "1.0"
//   no-tools       lists no tools
//   exit-on-call   exits with status 3 (after a line on stderr) on tools/call
import readline from "node:readline";

const mode = process.argv[2] ?? "";
const send = (m) => process.stdout.write(JSON.stringify(m) + "\n");
let pendingCall = null;

const rl = readline.createInterface({ input: process.stdin });
rl.on("line", (line) => {
  const msg = JSON.parse(line);
  if (msg.method === "initialize") {
    const version = mode.startsWith("version=") ? mode.slice(8) : msg.params.protocolVersion;
    send({ jsonrpc: "2.0", id: msg.id, result: { protocolVersion: version, capabilities: { tools: {} }, serverInfo: { name: "fake", version: "0" } } });
    return;
  }
  if (msg.method === "tools/list") {
    const tools = mode === "no-tools" ? [] : [{ name: "respond", inputSchema: { type: "object", properties: { prompt: { type: "string" } } } }];
    send({ jsonrpc: "2.0", id: msg.id, result: { tools } });
    return;
  }
  if (msg.id === "srv-1" && pendingCall !== null) {
    const ok = msg.result && Object.keys(msg.result).length === 0;
    send({ jsonrpc: "2.0", id: pendingCall, result: { content: [{ type: "text", text: ok ? "ping answered" : "bad ping reply" }] } });
    pendingCall = null;
    return;
  }
  if (msg.method === "tools/call") {
    const reply = { jsonrpc: "2.0", id: msg.id, result: { content: [{ type: "text", text: "fake says hi" }] } };
    switch (mode) {
      case "ping-first":
        pendingCall = msg.id;
        send({ jsonrpc: "2.0", id: "srv-1", method: "ping" });
        return;
      case "notify":
        send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "working" } });
        send(reply);
        return;
      case "rpc-error":
        send({ jsonrpc: "2.0", id: msg.id, error: { code: -32603, message: "boom", data: { where: "fake" } } });
        return;
      case "stale":
        send({ jsonrpc: "2.0", id: 99999, result: { content: [{ type: "text", text: "stale" }] } });
        send(reply);
        return;
      case "bad-jsonrpc":
        send({ ...reply, jsonrpc: "1.0" });
        return;
      case "exit-on-call":
        process.stderr.write("fake server: giving up\n");
        process.exit(3);
        return;
      default:
        send(reply);
    }
  }
});
