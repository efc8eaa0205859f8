# Garbage bytes and a half-open connection on a validator's port do not stop it serving others.
source "$(dirname "$0")/lib.sh"
keygen
start validator v0
port=$(grep -A6 "name = 'v0'" "$CFG" | grep -o 'port = [0-9]*' | head -1 | cut -d' ' -f3)
[ -z "$port" ] && port=$(awk "/\\[\\[validators\\]\\]/{v=1} v && /port =/{print \$3; exit}" "$CFG")
exec 3<>"/dev/tcp/127.0.0.1/$port" # half-open: connects, never speaks
for i in 1 2 3; do
  head -c 65536 /dev/urandom >"/dev/tcp/127.0.0.1/$port" 2>/dev/null || true
done
printf '\x00\x00\x00\x10garbage-garbage' >"/dev/tcp/127.0.0.1/$port" 2>/dev/null || true
answer=$("$PROBE" --config "$CFG" --validator v0 --to a1 --amount 3)
[[ $answer == signed* ]] || die "validator stopped serving: $answer"
kill -0 "${PIDS[v0]}" || die "validator died"
exec 3>&-
