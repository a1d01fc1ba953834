#!/usr/bin/env bash
# Rebuilds vendor/docx-rs from the crates.io release plus the patches in $PATCHES, or, with --check,
# verifies that the committed copy is exactly that (vendor/README.md says why the copy exists).
#
#   vendor/refresh-docx-rs.sh           # rewrite vendor/docx-rs
#   vendor/refresh-docx-rs.sh --check   # exit 1 if vendor/docx-rs differs from release + patch
#
# The release is taken from cargo's registry cache; the script fetches it there (cargo fetch in a scratch
# project) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=0.4.22
# Applied in this order.
PATCHES=(docx-rs-boxed-writer.patch docx-rs-schema.patch)
registry_copy() { ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/docx-rs-$VERSION 2>/dev/null | head -1; }

if [ -z "$(registry_copy)" ]; then
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  mkdir -p "$scratch/src" && touch "$scratch/src/lib.rs"
  printf '[package]\nname = "fetch-docx-rs"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\ndocx-rs = { version = "=%s", default-features = false }\n' \
    "$VERSION" >"$scratch/Cargo.toml"
  cargo fetch --quiet --manifest-path "$scratch/Cargo.toml"
  # cargo fetch downloads the .crate; unpacking happens on first build, so unpack it here.
  crate=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/docx-rs-$VERSION.crate | head -1)
  mkdir -p "$scratch/unpacked" && tar -xzf "$crate" -C "$scratch/unpacked"
  release=$scratch/unpacked/docx-rs-$VERSION
else
  release=$(registry_copy)
fi

build=$(mktemp -d)
trap 'rm -rf "$build" ${scratch:+"$scratch"}' EXIT
mkdir -p "$build/docx-rs"
cp -r "$release/src" "$release/README.md" "$build/docx-rs/"
cp vendor/docx-rs/LICENSE "$build/docx-rs/LICENSE"
# Only the library is vendored: drop the [[example]], [[test]] and [[bench]] targets and dev-dependencies,
# whose files are not copied.
awk '
  /^\[/ { skip = ($0 ~ /^\[\[(example|test|bench)\]\]/ || $0 ~ /^\[dev-dependencies/) }
  !skip { print }
' "$release/Cargo.toml" >"$build/docx-rs/Cargo.toml"
# git apply rather than patch(1): git is on every machine that has this repository; patch may not be.
for patch_name in "${PATCHES[@]}"; do
  patch_file=$PWD/vendor/$patch_name
  (cd "$build/docx-rs" && git apply -p1 "$patch_file")
done

if [ "${1:-}" = "--check" ]; then
  if diff -r "$build/docx-rs" vendor/docx-rs >/dev/null; then
    echo "vendor/docx-rs = docx-rs $VERSION + ${PATCHES[*]}"
  else
    diff -r "$build/docx-rs" vendor/docx-rs | head -20 >&2
    echo "vendor/docx-rs differs from docx-rs $VERSION + ${PATCHES[*]}; run vendor/refresh-docx-rs.sh" >&2
    exit 1
  fi
else
  rm -rf vendor/docx-rs
  cp -r "$build/docx-rs" vendor/docx-rs
  echo "vendor/docx-rs rebuilt from docx-rs $VERSION + ${PATCHES[*]}"
fi
