#!/bin/bash
# Opens pages of the built site in headless Chromium and fails on a broken
# local link (missing file or anchor) or an image that does not load.
# Usage: browser_check.sh HTML_DIR WORK_DIR PAGE...   (PAGE relative to HTML_DIR;
# a glob such as 'ch0*.html' means its first match)
set -u
html=$(cd "$1" && pwd) || { echo "no site at $1: build the docs target first"; exit 1; }
mkdir -p "$2" && work=$(cd "$2" && pwd) || exit 1
shift 2
chromium=$(command -v chromium || command -v chromium-browser) \
  || { echo "chromium is not installed (Debian package chromium)"; exit 1; }

# The probe: loads one page in a frame, lets its scripts run, then lists
# every URL the page refers to and every image that failed to load.
cat > "$work/probe.html" <<'HTML'
<!DOCTYPE html><html><body><pre id="out"></pre>
<iframe id="f" style="width:1200px;height:900px"></iframe>
<script>
const f = document.getElementById('f');
f.onload = () => setTimeout(() => {
  const d = f.contentDocument, out = [];
  if (!d) { document.getElementById('out').textContent = 'NODOC'; return; }
  for (const e of d.querySelectorAll('a[href], link[href]')) out.push('LINK ' + e.href);
  for (const e of d.querySelectorAll('img[src], script[src], iframe[src]')) out.push('LINK ' + e.src);
  for (const e of d.querySelectorAll('object[data]')) out.push('LINK ' + e.data);
  for (const e of d.querySelectorAll('img'))
    if (!e.complete || e.naturalWidth === 0) out.push('BADIMG ' + e.src);
  out.push('TITLE ' + d.title);
  document.getElementById('out').textContent = out.join('\n');
}, 2000);
f.src = decodeURIComponent(location.hash.slice(1));
</script></body></html>
HTML

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

check_page() {
  local page=$1 dump url path frag missing=""
  dump=$("$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
           --disable-background-networking --disable-component-update --disable-sync \
           --user-data-dir="$work/profile" --allow-file-access-from-files \
           --virtual-time-budget=10000 --dump-dom "file://$work/probe.html#file://$html/$page" 2>/dev/null \
         | sed -n '/<pre id="out">/,/<\/pre>/p' | sed 's/<[^>]*>//g; s/&amp;/\&/g')
  if ! grep -q '^TITLE ' <<<"$dump"; then fail "$page: Chromium did not render it"; return; fi
  echo "$page: $(grep -m1 '^TITLE ' <<<"$dump" | cut -c7-), $(grep -c '^LINK ' <<<"$dump") references"
  while read -r url; do
    [[ $url == file://* ]] || continue            # the web (man pages) is not checked here
    path=${url#file://}; frag=""
    [[ $path == *'#'* ]] && { frag=${path#*#}; path=${path%%#*}; }
    path=${path%%\?*}
    path=$(printf '%b' "${path//%/\\x}")
    if [[ ! -e $path ]]; then
      [[ " $missing " == *" $path "* ]] || fail "$page links to a missing file: ${path#"$html"/}"
      missing+=" $path"; continue
    fi
    if [[ -n $frag && -f $path && $path == *.html ]] \
       && ! grep -q -e "id=\"$frag\"" -e "name=\"$frag\"" "$path"; then
      fail "$page links to a missing anchor: ${path#"$html"/}#$frag"
    fi
  done < <(grep '^LINK ' <<<"$dump" | cut -c6- | sort -u)
  while read -r img; do fail "$page: image did not load: $img"; done \
    < <(grep '^BADIMG ' <<<"$dump" | cut -c8-)
}

for pattern in "$@"; do
  page=$(cd "$html" && compgen -G "$pattern" | sort | head -n 1)
  if [[ -z $page ]]; then fail "no page matches $pattern"; else check_page "$page"; fi
done
rm -rf "$work/profile"
[[ $failures -eq 0 ]] && echo "all links and images of the checked pages are fine"
exit $(( failures > 0 ))
