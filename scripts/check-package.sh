#!/usr/bin/env bash
# Checks the package as a user receives it: publint and attw on the packed tarball, then installs the
# tarball into a fresh temporary project and imports every subpath with `import` and with `require`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# Always build first: packing whatever dist/ holds could check (and ship) a stale build.
npm run build

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tarball="$(npm pack --silent --pack-destination "$work" | tail -1)"
echo "packed $tarball"

npx --no-install publint run "$work/$tarball" --strict
npx --no-install attw "$work/$tarball" --profile node16 --format table-flipped

# A fresh project that depends on the tarball only. Driver peers are linked from this checkout so the smoke
# test needs no native rebuild; everything else comes from the registry (or npm's cache).
app="$work/app"
mkdir -p "$app"
cd "$app"
npm init -y >/dev/null
npm install --no-audit --no-fund --prefer-offline --ignore-scripts "$work/$tarball" >/dev/null
for peer in better-sqlite3 bindings file-uri-to-path pg pg-cloudflare pg-pool pg-protocol pg-types pg-connection-string pg-int8 pgpass postgres-array postgres-bytea postgres-date postgres-interval split2 xtend @electric-sql fast-check pure-rand; do
  if [ -e "$root/node_modules/$peer" ] && [ ! -e "node_modules/$peer" ]; then
    mkdir -p "node_modules/$(dirname "$peer")"
    ln -s "$root/node_modules/$peer" "node_modules/$peer"
  fi
done
cp "$root/scripts/smoke/smoke.mjs" "$root/scripts/smoke/smoke.cjs" .
node smoke.mjs
node smoke.cjs
./node_modules/.bin/ordo --help >/dev/null && echo "bin: ordo --help runs"
echo "check:package ok"
