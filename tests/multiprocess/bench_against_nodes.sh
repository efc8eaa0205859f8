# `acfts bench --config`: the scenarios against running node processes (real TCP on loopback),
# sequential and concurrent; afterwards the supply is whole.
source "$(dirname "$0")/lib.sh"
keygen
start_all
out=$("$ACFTS" bench --config "$CFG" --scenario S1,S5 --trials 5 --mode both --inflight 4 2>&1) \
  || die "bench failed: $out"
echo "$out"
for row in "S1 +sequential +5 +5 " "S1 +concurrent +5 +5 " "S5 +sequential +5 +5 " \
           "S5 +concurrent +5 +5 "; do
  echo "$out" | grep -Eq "^$row" || die "no row matching '$row'"
done
eventually 10 bash -c "[ \$('$ACFTS' balance --config '$CFG' --wallet w1 --json | grep -o '\"total\":[0-9]*' | cut -d: -f2) = 10 ]"
[ "$(supply)" = 1000000 ] || die "supply is $(supply)"
note "bench against nodes ok"
