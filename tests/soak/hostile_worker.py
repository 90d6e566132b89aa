# Measures a consensus-sim worker under hostile connections (loopback only):
# its peak memory while 256 unauthenticated connections from 32 addresses
# announce 64 MiB payloads, and how long an honest coordinator needs for a
# 40-run sweep while 300 idle connections are open.
#   python3 tests/soak/hostile_worker.py path/to/consensus-sim REPO_DIR
import os, socket, struct, subprocess, sys, time
sim, repo = sys.argv[1], sys.argv[2]
env = dict(os.environ, CONSENSUS_SECRET="0123456789abcdef-measure-secret")
w = subprocess.Popen([sim, "worker", "--listen", "127.0.0.1:0", "--threads", "1"],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
line = w.stdout.readline()
port = int(line.split("listening on ")[1].split(" ")[0].rsplit(":", 1)[1])
def hwm():
    for l in open(f"/proc/{w.pid}/status"):
        if l.startswith(("VmHWM", "VmRSS")):
            yield l.split()[0] + " " + str(int(l.split()[1]) // 1024) + " MB"
print("idle worker:", ", ".join(hwm()))
socks = []
for i in range(256):
    s = socket.socket(); s.bind((f"127.0.3.{1 + i // 8}", 0)); s.connect(("127.0.0.1", port))
    op = 1 if i % 2 else 2
    s.sendall(struct.pack(">B3xI24x", op, 64 << 20)); socks.append(s)
time.sleep(2)
print("after 256 connections announcing 64 MiB each:", ", ".join(hwm()))
for s in socks: s.close()
socks = []
for i in range(300):
    s = socket.socket(); s.connect(("127.0.0.1", port)); socks.append(s)
t0 = time.time()
r = subprocess.run([sim, "run", f"{repo}/scenarios/quickstart.yaml", "-r", "10", "--threads", "0",
                    "--workers", f"127.0.0.1:{port}", "--quiet"], env=env, capture_output=True, text=True)
print(f"300 idle connections open: an honest 40-run sweep took {time.time() - t0:.2f} s, exit {r.returncode}")
print("peak:", ", ".join(hwm()))
w.terminate(); w.wait()
