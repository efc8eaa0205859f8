# A validator port that accepts connections and drops them at once (a process whose actor is
# gone, a broken proxy) costs a wallet a few attempts, not a tight loop: reconnects back off
# exponentially, and the wallet logs the lost peer once, not once per attempt (issue 11, item 4).
source "$(dirname "$0")/lib.sh"
keygen
port=$(awk '/^\[\[validators\]\]/{v++} v==1 && /^port/{print $3; exit}' "$CFG")
[ -n "$port" ] || die "no port for v0 in $CFG"
# v0's port: accept and close, counting connections, for 8 seconds.
python3 - "$port" >"$WORK/accepts" 2>&1 <<'PY' &
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(64); s.settimeout(0.2)
n, end = 0, time.time() + 8
while time.time() < end:
    try:
        c, _ = s.accept(); n += 1; c.close()
    except socket.timeout:
        pass
print(n)
PY
fake=$!
for v in v1 v2 v3; do start validator $v; done
start wallet w0
wait $fake
accepts=$(cat "$WORK/accepts")
note "connections to the dropping port in 8 s: $accepts"
# Backoff from 100 ms doubling to a 10 s cap, jitter in the upper half: at most 8 attempts in
# 8 s. The old loop tried every 300 ms (about 27).
[ "$accepts" -ge 2 ] || die "the wallet never retried ($accepts)"
[ "$accepts" -le 10 ] || die "reconnect storm: $accepts connections in 8 s"
start validator v0
wait_for "$WORK/w0.log" "connected to validator v0" 30
lost=$(grep -c "lost validator" "$WORK/w0.log" || true)
[ "$lost" -le 1 ] || die "'lost validator' logged $lost times"
