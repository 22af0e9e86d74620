#!/bin/sh
# `npm start`: the service as it runs in production, with the memory settings it was measured
# with (docs/performance.md has the figures). Arguments are passed to Node.js before the entry
# file, e.g. `sh scripts/start.sh --cpu-prof`. `exec` replaces this shell with Node.js: one
# process, so SIGTERM and SIGINT reach the service and its exit code is the launcher's.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)

# Node.js 24 as pinned in package.json (a dev dependency); where dev dependencies are not
# installed, the `node` on PATH, which must then be Node.js 24.
node="$root/node_modules/.bin/node"
[ -x "$node" ] || node=node

# The web client served at / is built here, not committed: when web/dist is missing, or older
# than a file it is built from, `npm run web:build` runs first (~1-2 s; a start with a current
# build only pays for the `find`). Without dev dependencies (no Vite), the service starts
# without a client unless one was built before.
client="$root/web/dist/index.html"
vite="$root/node_modules/vite/bin/vite.js"
if [ -f "$vite" ] && { [ ! -f "$client" ] || [ -n "$(find "$root/web/src" "$root/web/index.html" \
  "$root/web/vite.config.ts" "$root/package-lock.json" -newer "$client" | head -n 1)" ]; }; then
  echo "Building the web client (web/dist)..."
  "$node" "$vite" build --config "$root/web/vite.config.ts" --logLevel warn
fi

# Node.js keeps the compiled code of the modules (TypeScript already stripped) here between
# starts: a start after the first skips compiling and, with nothing changed, never loads the
# TypeScript stripper (start-up ~0.2 s shorter).
export NODE_COMPILE_CACHE="${NODE_COMPILE_CACHE:-$root/node_modules/.cache/node-compile-cache}"

# glibc's malloc, read once when the process starts (so they cannot be set from JavaScript).
# One arena: the hashing threads reuse the 19 MiB Argon2id buffers instead of each keeping
# its own (a login flood peaks ~70 MB lower, same throughput).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
# Buffers that size come from that arena and stay there between hashes; with glibc's defaults
# the memory went back after each hash and was taken again (~340-430 page faults per login,
# logins ~0.9 of the raw Argon2id rate instead of 0.98).
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-67108864}"

# V8's heap. The service keeps ~40 MB live; with the defaults the heap grew to ~180 MB between
# full collections and peak RSS to 310-340 MB. A small young generation (8 MB semi-spaces) and
# an old-generation ceiling (1024 MB: far above the need, not a target) make V8 collect
# earlier: peak RSS ~210 MB at the same requests/s.
# --no-allocation-site-pretenuring: under load V8 sometimes decided to allocate the HTTP
# layer's per-request objects straight into the old generation; from then on each request
# left ~5 KB there, a full mark-compact ran every ~0.4 s, and a request cost 10-20 µs more.
# Whether a process fell into that changed from one start to the next.
exec "$node" \
  --max-semi-space-size=8 \
  --max-old-space-size=1024 \
  --no-allocation-site-pretenuring \
  "$@" "$root/src/main.ts"
