# Set-up shared by the benchmarks that time the rolebook binary on a
# generated catalog. Source it from a script run from the repository root
# with `set -euo pipefail` on: `. "$(dirname "$0")/lib.sh"`.

# generated_catalog ROLES: builds the release binary ($bin), makes a
# scratch directory ($out, removed on exit) and writes a generated catalog
# of ROLES roles to $out/catalog, validated once so that a broken catalog
# stops the run before anything is timed.
generated_catalog() {
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
  cargo build --release --quiet --bin rolebook
  cargo run --release --quiet -p rolebook-core --example generate_catalog -- "$out/catalog" "$1"
  bin=target/release/rolebook
  "$bin" validate "$out/catalog"
}
