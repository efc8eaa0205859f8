# Public headers against details (issue 26, item 6): a header under FOLDER/detail/ is a helper of
# FOLDER alone; no file of another folder includes it (tests of that folder may). The build
# enforces it too (acfts_headers: a library exports only its folder's public headers); this
# checks the sources, including folders the current build does not compile (fuzz/).
set -euo pipefail
cd "${1:?usage: detail_headers_stay_home.sh SOURCE_DIR}"
bad=0
while IFS= read -r -d '' file; do
  home=${file%%/*}
  while IFS= read -r header; do
    owner=${header%%/*}
    if [ "$owner" != "$home" ] && [ "$home" != tests ] && [ "$home" != fuzz ]; then
      echo "FAIL: $file includes $header, a detail of $owner/"
      bad=1
    fi
  done < <(grep -oE '#include "[a-z_]+/detail/[a-z_]+\.hpp"' "$file" | sed -E 's/#include "(.*)"/\1/')
done < <(git ls-files -z '*.cpp' '*.hpp')
[ $bad = 0 ] || exit 1
count=$(git ls-files '*/detail/*.hpp' | wc -l)
[ "$count" -ge 6 ] || { echo "FAIL: only $count detail headers: the check checks nothing"; exit 1; }
echo "detail headers: $count, each included only from its own folder (and tests)"
