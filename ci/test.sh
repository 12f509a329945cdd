#!/usr/bin/env bash
# The whole test suite of kmskit, on a fresh Debian 12 machine or a warm one (idempotent):
# installs what is missing, then runs every runtime's tests and checks. Ends with one line,
# "N passed, N failed", summed over all runtimes. Step times go to stderr.
#
#   bash ci/test.sh            # everything
#   KMSKIT_STEPS="rust python" bash ci/test.sh   # a subset (names: see `steps` below)
set -uo pipefail
export CARGO_TERM_COLOR=never CARGO_TERM_PROGRESS_WHEN=never RUST_BACKTRACE=0
cd "$(dirname "$0")/.."
ROOT=$PWD
HOST=x86_64-unknown-linux-gnu
WASM_BINDGEN_VERSION=0.2.130 # == the `wasm-bindgen = "=..."` pin in Cargo.toml
STEPS=${KMSKIT_STEPS:-"tools lint rust nostd uniffi python node wasm"}
PASSED=0
FAILED=0
TIMES=()
FAILURES=()
T0=$SECONDS

want() { [[ " $STEPS " == *" $1 "* ]]; }

# count RUNNER LOGFILE: adds the runner's own pass/fail counts from its output
count() {
  local p=0 f=0
  case $1 in
    cargo)
      p=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$2" | awk '{s+=$4} END {print s+0}')
      f=$(grep -Eo '[0-9]+ failed;' "$2" | awk '{s+=$1} END {print s+0}') ;;
    pytest)
      p=$(tail -n 3 "$2" | grep -Eo '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
      f=$(tail -n 3 "$2" | grep -Eo '[0-9]+ (failed|error)' | awk '{s+=$1} END {print s+0}') ;;
    node)
      p=$(grep -E '^# pass [0-9]+' "$2" | awk '{s+=$3} END {print s+0}')
      f=$(grep -E '^# fail [0-9]+' "$2" | awk '{s+=$3} END {print s+0}') ;;
    kotlin)
      p=$(grep -Eo '^kotlin: [0-9]+ passed' "$2" | awk '{s+=$2} END {print s+0}')
      f=$(grep -Eo '[0-9]+ failed$' "$2" | awk '{s+=$1} END {print s+0}') ;;
  esac
  PASSED=$((PASSED + p))
  FAILED=$((FAILED + f))
}

# step NAME RUNNER CMD...: runs CMD with output teed to a log; counts its tests (RUNNER) or,
# for a plain check (RUNNER "-"), one pass or one failure. A failing step never stops the run.
step() {
  local name=$1 runner=$2
  shift 2
  local s=$SECONDS log
  log=$(mktemp)
  echo "::: $name"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  if [[ $runner == - ]]; then
    if ((rc == 0)); then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); fi
  else
    local before=$FAILED
    count "$runner" "$log"
    # a runner that crashed before reporting still counts as a failure
    if ((rc != 0 && FAILED == before)); then FAILED=$((FAILED + 1)); fi
  fi
  ((rc == 0)) || FAILURES+=("$name")
  rm -f "$log"
  TIMES+=("$(printf '%-34s %4ds  %s' "$name" $((SECONDS - s)) "$([[ $rc == 0 ]] && echo ok || echo FAILED)")")
}

# ------------------------------------------------------------------------------ tools
apt_install() {
  local pkgs=(rustc-web cargo-web rust-web-src rust-web-llvm lld-22 chromium libjna-java
    openjdk-17-jdk-headless openssl)
  local missing=()
  for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return 0
  local sudo=()
  ((EUID == 0)) || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -q "${missing[@]}" >/dev/null
}

py_tools() {
  [ -x .venv/bin/python ] || python3 -m venv .venv
  # aws-encryption-sdk: the official ESDK, the independent check of envelope messages
  .venv/bin/pip install -q --disable-pip-version-check maturin==1.16.0 pytest==9.2.0 mypy==2.4.1 \
    cryptography==50.0.2 aws-encryption-sdk==4.0.7
}

wasm_bindgen_cli() {
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    # no --locked: its lockfile pins a webpki-roots version the registry no longer offers
    cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
}

npm_tools() {
  local d
  for d in bindings-node bindings-wasm bindings-uniffi; do
    # `npm install`, not `npm ci`: lockfiles written here record only this platform's optional
    # packages and `npm ci` rejects them (toolchain notes, pitfall 8). It honours the lock.
    if [ ! -d "$d/node_modules" ] || [ "$d/package-lock.json" -nt "$d/node_modules/.package-lock.json" ]; then
      (cd "$d" && npm install --no-audit --no-fund --loglevel=error) || return 1
    fi
  done
}

if want tools; then
  step "apt packages" - apt_install
  step "python venv (maturin, pytest, mypy)" - py_tools
  step "cargo install wasm-bindgen-cli" - wasm_bindgen_cli
  step "npm install (3 dirs)" - npm_tools
fi

# ------------------------------------------------------------------------------ Rust
# Every Rust build uses one profile and target, `--release --target $HOST`, so AWS-LC and
# every dependency are compiled once and shared by clippy's build scripts, the workspace build,
# the tests, maturin (Python) and napi (Node, which always passes --target).
REL=(--release --target "$HOST")
# The benches crate enables kmskit/rust-crypto; leaving it out of the build keeps kmskit's
# features identical to what maturin and napi ask for, so they reuse the build.
BUILD=(--workspace --exclude kmskit-benches)
if want lint; then
  step "cargo fmt --check" - cargo fmt --all -- --check
  step "cargo clippy -D warnings" - cargo clippy -q --workspace --all-targets "${REL[@]}" -- -D warnings
fi
if want rust; then
  step "cargo build --workspace" - cargo build -q "${BUILD[@]}" "${REL[@]}"
  step "cargo test --workspace" cargo cargo test -q "${BUILD[@]}" "${REL[@]}"
  step "cargo doc (-D warnings)" - env RUSTDOCFLAGS=-Dwarnings cargo doc -q --no-deps "${BUILD[@]}" "${REL[@]}"
fi
if want nostd; then
  # Proof that core is no_std: build it for wasm32 with only core and alloc in the sysroot.
  step "kmskit no_std on wasm32 (core+alloc)" - env RUSTC_BOOTSTRAP=1 \
    cargo --config .cargo/wasm-nostd.toml build -q -p kmskit --no-default-features
fi

# ------------------------------------------------------------------------------ uniffi
uniffi_generate() {
  local lib=target/$HOST/release/libkmskit_uniffi.so gen=bindings-uniffi/generated lang
  # the records of the typed client restate core's shapes; they must be regenerated with them
  python3 bindings-uniffi/gen_shapes.py --check || return 1
  rm -rf "$gen"
  for lang in python kotlin swift; do
    target/$HOST/release/uniffi-bindgen generate --library "$lib" --language "$lang" --out-dir "$gen/$lang" \
      --no-format >/dev/null || return 1
  done
  cp "$lib" "$gen/python/"
  # Swift: generated only (no Swift compiler on this machine kind); check the pieces exist
  test -s "$gen/swift/kmskit_uniffi.swift" && grep -q 'func verify(' "$gen/swift/kmskit_uniffi.swift" &&
    grep -q 'func createKey(request: CreateKeyRequest)' "$gen/swift/kmskit_uniffi.swift" &&
    test -s "$gen/swift/kmskit_uniffiFFI.h"
}
uniffi_kotlin() {
  local gen=bindings-uniffi/generated
  # kotlinc 2.4 from npm, JNA from Debian; Debian's own kotlin 1.3 is too old for uniffi 0.32
  bindings-uniffi/node_modules/kotlin-compiler/bin/kotlinc -nowarn -cp /usr/share/java/jna.jar \
    "$gen/kotlin/uniffi/kmskit_uniffi/kmskit_uniffi.kt" bindings-uniffi/tests/kotlin/Main.kt \
    bindings-uniffi/tests/kotlin/PolicyCorpus.kt \
    examples/kotlin/Verify.kt examples/kotlin/LocalKms.kt -include-runtime -d "$gen/kotlin-test.jar" || return 1
  local cp="$gen/kotlin-test.jar:/usr/share/java/jna.jar" jna=-Djna.library.path=target/$HOST/release
  java "$jna" -cp "$cp" MainKt "$ROOT" || return 1
  # the Kotlin example, as a user would run it
  local out
  out=$(java "$jna" -cp "$cp" VerifyKt "$ROOT") || return 1
  echo "$out"
  grep -q 'genuine signature: true' <<<"$out" && grep -q 'tampered message:  false' <<<"$out" || return 1
  out=$(java "$jna" -cp "$cp" LocalKmsKt) || return 1
  echo "$out"
  grep -q 'offline verify: true' <<<"$out" && grep -q 'decrypted: s3cr3t' <<<"$out" &&
    grep -q 'without its encryption context: InvalidCiphertextException' <<<"$out" &&
    echo "kotlin: 2 passed, 0 failed (examples)"
}
if want uniffi; then
  step "uniffi: generate Python/Kotlin/Swift" - uniffi_generate
  step "uniffi: Python tests" pytest env PYTHONPATH=bindings-uniffi/generated/python \
    .venv/bin/pytest -q -p no:cacheprovider bindings-uniffi/tests/python
  step "uniffi: Kotlin on the JVM" kotlin uniffi_kotlin
fi

# ------------------------------------------------------------------------------ Python
python_install() {
  # PEP 517 from the source tree, as a user would; --target shares target/$HOST/release with napi
  MATURIN_PEP517_ARGS="--target $HOST" .venv/bin/pip install -q --disable-pip-version-check \
    --force-reinstall --no-deps ./bindings-python
}
if want python; then
  # kmskit's envelope messages (testdata/envelope/kmskit, checked against core by cargo test)
  # decrypt with the official AWS Encryption SDK for Python
  step "envelope: the official Python ESDK decrypts kmskit's messages" pytest \
    .venv/bin/python testdata/envelope/check_with_esdk.py
  step "python: pip install ./bindings-python" - python_install
  step "python: pytest" pytest .venv/bin/pytest -q -p no:cacheprovider bindings-python/tests
fi

# ------------------------------------------------------------------------------ Node
if want node; then
  step "node: napi build" - bash -c "cd bindings-node && npx napi build --platform --release \
    --js native.js --dts native.d.ts"
  step "node: node --test" node bash -c "cd bindings-node && node --test test/"
fi

# ------------------------------------------------------------------------------ wasm
# binaryen from npm (132); Debian's binaryen 108 emits modules that fail to load. Rust puts
# nothing in the lowest 1 KiB of memory (its stack and data start at 1 MiB), which
# --low-memory-unused lets wasm-opt use for shorter addressing (−1 KB gzipped on the slim
# package, BENCHMARKS.md).
WASM_OPT=(-Oz --low-memory-unused)
wasm_build() {
  # Debian's rustc 1.96 builds std for wasm32 from rust-web-src (-Zbuild-std, .cargo/wasm.toml)
  RUSTC_BOOTSTRAP=1 cargo --config .cargo/wasm.toml build -q -p kmskit-wasm --profile wasm-release ||
    return 1
  local w=target/wasm/wasm32-unknown-unknown/wasm-release/kmskit_wasm.wasm t out
  for t in nodejs web; do
    out=bindings-wasm/pkg-${t/nodejs/node}
    rm -rf "$out"
    wasm-bindgen --target "$t" --out-dir "$out" "$w" || return 1
    bindings-wasm/node_modules/.bin/wasm-opt "${WASM_OPT[@]}" "$out/kmskit_wasm_bg.wasm" \
      -o "$out/kmskit_wasm_bg.wasm" || return 1
  done
  echo "wasm: $(stat -c %s bindings-wasm/pkg-web/kmskit_wasm_bg.wasm) bytes," \
    "$(gzip -9c bindings-wasm/pkg-web/kmskit_wasm_bg.wasm | wc -c) gzipped"
}

# The slim web package: the offline API only (verify, encrypt, ...; no local KMS, no policy
# engine), bindings-wasm/pkg-verify, built with `--no-default-features` and the size-saving
# flags of .cargo/wasm-slim.toml. Its own target dir: the cdylib's file name is the same for
# every feature set, so in target/wasm one build's kmskit_wasm.wasm could be taken for the
# other's.
wasm_verify_build() {
  RUSTC_BOOTSTRAP=1 cargo --config .cargo/wasm.toml --config .cargo/wasm-slim.toml build -q \
    -p kmskit-wasm --no-default-features --profile wasm-release --target-dir target/wasm-verify ||
    return 1
  local w=target/wasm-verify/wasm32-unknown-unknown/wasm-release/kmskit_wasm.wasm out=bindings-wasm/pkg-verify
  rm -rf "$out"
  wasm-bindgen --target web --out-dir "$out" "$w" || return 1
  # --converge repeats -Oz until it stops shrinking: −0.8 KB here, in seconds (on the full
  # package it would add ~65 s per target for −6 KB)
  bindings-wasm/node_modules/.bin/wasm-opt "${WASM_OPT[@]}" --converge "$out/kmskit_wasm_bg.wasm" \
    -o "$out/kmskit_wasm_bg.wasm" || return 1
  echo "wasm (verify-only): $(stat -c %s "$out/kmskit_wasm_bg.wasm") bytes," \
    "$(gzip -9c "$out/kmskit_wasm_bg.wasm" | wc -c) gzipped"
}
# The slim package loaded in Node (web target, initSync): the shared vectors pass, it exports
# core's functions except `evaluate` and no classes but the two offline results, and the
# package (wasm + JS glue) stays within issue 5's 250 KB gzipped. Chromium loads it in
# bindings-wasm/test/browser.test.mjs.
wasm_verify_check() {
  node --disable-warning=MODULE_TYPELESS_PACKAGE_JSON --input-type=module -e '
    import { readFileSync } from "node:fs"
    import assert from "node:assert/strict"
    import * as k from "./bindings-wasm/pkg-verify/kmskit_wasm.js"
    import { runVerifyCases, runOfflineVectors } from "./testdata/js/harness.mjs"
    k.initSync({ module: readFileSync("bindings-wasm/pkg-verify/kmskit_wasm_bg.wasm") })
    const json = (p) => JSON.parse(readFileSync(p, "utf8"))
    const results = [...runVerifyCases(k, json("testdata/skeleton/vectors.json")),
      ...runOfflineVectors(k, json("testdata/offline/vectors.json"))]
    assert.ok(results.length > 300, `only ${results.length} cases`)
    assert.deepEqual(results.filter((r) => !r.ok), [])
    const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase())
    const fns = Object.keys(k)
      .filter((n) => typeof k[n] === "function" && /^[a-z]/.test(n) && !["default", "initSync"].includes(n)).sort()
    assert.deepEqual(fns, k.capabilities().filter((n) => n !== "evaluate").map(camel).sort())
    assert.deepEqual(Object.keys(k).filter((n) => /^[A-Z]/.test(n)).sort(), ["Encapsulation", "PublicKeyDescription"])
    const { gzipSync } = await import("node:zlib")
    const gz = (f) => gzipSync(readFileSync(`bindings-wasm/pkg-verify/${f}`), { level: 9 }).length
    const size = gz("kmskit_wasm_bg.wasm") + gz("kmskit_wasm.js")
    assert.ok(size <= 250000, `pkg-verify is ${size} bytes gzipped (wasm + JS), over 250 KB`)
    console.log(`wasm (verify-only): ${results.length} vector cases passed; exports as core minus evaluate;`,
      `${size} bytes gzipped (wasm + JS)`)
  '
}
if want wasm; then
  step "wasm: build + wasm-bindgen + wasm-opt" - wasm_build
  step "wasm: the slim offline package (pkg-verify)" - wasm_verify_build
  step "wasm: pkg-verify vectors, exports and size (Node)" - wasm_verify_check
  step "wasm: node --test (Node + Chromium)" node bash -c "cd bindings-wasm && node --test test/"
fi

# ------------------------------------------------------------------------------ summary
{
  echo "================ step times"
  printf '%s\n' "${TIMES[@]}"
  printf '%-34s %4ds\n' total $((SECONDS - T0))
  ((${#FAILURES[@]} == 0)) || echo "failed steps: ${FAILURES[*]}"
} >&2
echo "$PASSED passed, $FAILED failed"
((FAILED == 0 && ${#FAILURES[@]} == 0))
