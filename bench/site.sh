#!/usr/bin/env bash
# Benchmark of `rolebook build` (the catalog as a static website), with
# baselines from the same run:
#  (a) the built-in catalog and a generated 3,000-role catalog, each against
#      `rolebook validate` of the same catalog (loading and checking it is
#      the floor every command pays);
#  (b) when mdbook and hugo are installed, each building one Markdown page
#      per role of the generated catalog (the role's `rolebook export --format
#      md`, renamed per copy as the generator renames roles), for pages/s
#      side by side. Hugo gets a one-line layout (no theme), mdBook its
#      default theme;
#  (c) the built-in catalog with its downloads (every format, then
#      --no-pdf) against the same site without them (--no-downloads), as
#      files/s and the ratio. (a) and (b) time pages only.
# Prints hyperfine's table and pages/s for every build. Needs hyperfine
# (apt-get install -y hyperfine); mdbook (cargo install mdbook) and hugo
# (apt-get install -y hugo) are optional. Run from the repository root;
# argument: number of roles [3000].
set -euo pipefail
roles=${1:-3000}
. "$(dirname "$0")/lib.sh"
generated_catalog "$roles"

# One build of each to count what it writes (hyperfine's runs delete it).
"$bin" build --no-downloads "$out/count-builtin" 2>/dev/null
"$bin" --catalog "$out/catalog" build --no-downloads "$out/count-big" 2>/dev/null
"$bin" build "$out/count-downloads" 2>/dev/null
files_downloads=$(find "$out/count-downloads" -type f | wc -l)
rm -rf "$out/count-downloads"
pages_builtin=$(find "$out/count-builtin" -name '*.html' | wc -l)
pages_big=$(find "$out/count-big" -name '*.html' | wc -l)
du -sh "$out/count-builtin" "$out/count-big"
rm -rf "$out/count-builtin" "$out/count-big"

# The same number of Markdown pages for mdBook and Hugo: the built-in
# roles' Markdown, copy N of role R titled "R (N)" like the generated roles.
others=()
if command -v mdbook >/dev/null || command -v hugo >/dev/null; then
  mkdir -p "$out/md" "$out/book/src" "$out/hugo/content/roles" "$out/hugo/layouts/_default"
  mapfile -t ids < <("$bin" list --format csv | tail -n +2 | cut -d, -f1)
  for id in "${ids[@]}"; do "$bin" export "$id" --format md -o "$out/md/$id.md" 2>/dev/null; done
  printf '[book]\ntitle = "Roles"\n' > "$out/book/book.toml"
  printf '# Summary\n\n' > "$out/book/src/SUMMARY.md"
  printf 'baseURL = "http://example.org/"\ntitle = "Roles"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n' > "$out/hugo/config.toml"
  printf '<!doctype html><html lang="en"><head><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>\n' > "$out/hugo/layouts/_default/single.html"
  printf '<!doctype html><html lang="en"><head><title>{{ .Title }}</title></head><body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n' > "$out/hugo/layouts/_default/list.html"
  n=0
  copy=0
  while [ "$n" -lt "$roles" ]; do
    for id in "${ids[@]}"; do
      [ "$n" -lt "$roles" ] || break
      name="$id-$copy"
      title=$(head -1 "$out/md/$id.md" | sed 's/^# //')
      [ "$copy" -eq 0 ] || title="$title ($copy)"
      { printf '# %s\n' "$title"; tail -n +2 "$out/md/$id.md"; } > "$out/book/src/$name.md"
      printf -- '- [%s](%s.md)\n' "$title" "$name" >> "$out/book/src/SUMMARY.md"
      { printf -- '---\ntitle: "%s"\n---\n' "$title"; tail -n +2 "$out/md/$id.md"; } > "$out/hugo/content/roles/$name.md"
      n=$((n + 1))
    done
    copy=$((copy + 1))
  done
  if command -v mdbook >/dev/null; then
    others+=(-n "mdbook build ($roles pages)" "mdbook build $out/book -d $out/site")
  fi
  if command -v hugo >/dev/null; then
    others+=(-n "hugo ($roles pages)" "hugo --quiet -s $out/hugo -d $out/site")
  fi
fi

hyperfine --warmup 2 --runs 10 --prepare "rm -rf $out/site" --export-json "$out/small.json" \
  -n "baseline: validate (built-in)" "$bin validate" \
  -n "build (built-in, $pages_builtin pages)" "$bin build --no-downloads $out/site"
hyperfine --warmup 1 --runs 5 --prepare "rm -rf $out/site" --export-json "$out/big.json" \
  -n "baseline: validate ($roles roles)" "$bin validate $out/catalog" \
  -n "build ($roles roles, $pages_big pages)" "$bin --catalog $out/catalog build --no-downloads $out/site"
hyperfine --warmup 1 --runs 5 --prepare "rm -rf $out/site" --export-json "$out/downloads.json" \
  -n "build --no-downloads (built-in)" "$bin build --no-downloads $out/site" \
  -n "build --no-pdf (built-in)" "$bin build --no-pdf $out/site" \
  -n "build (built-in, $files_downloads files)" "$bin build $out/site"
# mdBook takes minutes and gigabytes of memory on 3,000 pages: two runs
# each, with the validate baseline again so their ratios come from one run.
echo '{"results": []}' > "$out/others.json"
if [ "${#others[@]}" -gt 0 ]; then
  hyperfine --runs 2 --prepare "rm -rf $out/site" --export-json "$out/others.json" \
    -n "baseline: validate ($roles roles)" "$bin validate $out/catalog" \
    "${others[@]}"
fi

python3 - "$out/small.json" "$out/big.json" "$out/others.json" "$out/downloads.json" "$pages_builtin" "$pages_big" "$roles" "$files_downloads" <<'EOF'
import json, sys
small, big, others, downloads = (json.load(open(p))["results"] for p in sys.argv[1:5])
pages_builtin, pages_big, roles, files_downloads = map(int, sys.argv[5:9])
def report(results, pages):
    if not results:
        return
    base = results[0]["mean"]
    print(f"  {results[0]['command']}: {base:.3f} s")
    for r in results[1:]:
        print(f"  {r['command']}: {r['mean']:.3f} s ± {r['stddev'] or 0:.3f}, "
              f"{pages / r['mean']:,.0f} pages/s, {r['mean'] / base:.1f}× validate")
print("pages per second (mean of the runs):")
report(small, pages_builtin)
report(big, pages_big)
report(others, roles)
print("downloads (built-in catalog, against the same site without them):")
base = downloads[0]["mean"]
print(f"  {downloads[0]['command']}: {base:.3f} s")
for r in downloads[1:]:
    print(f"  {r['command']}: {r['mean']:.3f} s ± {r['stddev'] or 0:.3f}, {r['mean'] / base:.1f}× without downloads")
print(f"  with every format: {files_downloads / downloads[-1]['mean']:,.0f} files/s")
EOF
