#!/usr/bin/env bash
# Benchmark: the first build a new user waits for. Builds the release binary
# from a clean target directory twice in the same run, first at a baseline
# revision (default: HEAD~1, or the revision given), then the working tree,
# one after the other so that they do not share the two cores, and reports
# for each the wall-clock and CPU time of `cargo build --release`, the size
# of the binary, and the ratios. Each build keeps cargo's --timings report
# (per-crate times) under the scratch directory, which is printed and kept.
# Takes about half an hour on two cores.
# Run from the repository root: bench/build.sh [BASE_REV]
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-HEAD~1}
out=$(mktemp -d /tmp/rolebook-build-bench.XXXXXX)
git worktree add --detach --quiet "$out/base" "$base"
trap 'git worktree remove --force "$out/base"' EXIT
mkdir "$out/new"
tar --exclude=./target --exclude=./.git --exclude=./fuzz/target --exclude=./web-tests/node_modules \
  -cf - . | tar -xf - -C "$out/new"

build() { # NAME DIR
  local name=$1 dir=$2
  (cd "$dir" && CARGO_TARGET_DIR="$out/target-$name" /usr/bin/time -f "%e %U %S" -o "$out/$name.time" \
    cargo build --release --quiet --timings --bin rolebook)
  cp -r "$out/target-$name/cargo-timings" "$out/timings-$name"
  stat -c %s "$out/target-$name/release/rolebook" > "$out/$name.size"
  rm -rf "$out/target-$name"
}
build base "$out/base"
build new "$out/new"

python3 - "$out" "$base" <<'EOF'
import sys
out, base = sys.argv[1], sys.argv[2]
def read(name):
    wall, user, sys_ = map(float, open(f"{out}/{name}.time").read().split())
    return wall, user + sys_, int(open(f"{out}/{name}.size").read())
b, n = read("base"), read("new")
print(f"{'':28}{'wall':>10}{'CPU':>10}{'binary':>12}")
for label, (wall, cpu, size) in ((f"baseline ({base})", b), ("working tree", n)):
    print(f"{label:28}{wall:9.0f}s{cpu:9.0f}s{size / 1e6:9.1f} MB")
print(f"{'ratio (tree / baseline)':28}{n[0] / b[0]:10.2f}{n[1] / b[1]:10.2f}{n[2] / b[2]:12.2f}")
EOF
echo "per-crate timings: $out/timings-base, $out/timings-new"
