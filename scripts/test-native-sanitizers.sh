#!/usr/bin/env bash
# Builds the native addon with AddressSanitizer and UndefinedBehaviorSanitizer
# (packages/native/build/sanitize/, beside the normal build, which stays as it is) and runs
# the native package's unit and integration tests against it. Node itself is not built with
# ASan, so its runtime is preloaded; leak detection is off (Node keeps allocations to exit).
# Any ASan report aborts the test process, any UBSan report halts it: either fails a test.
# Prints "N passed, N failed" and exits non-zero when anything failed. Needs root (the
# integration tests make namespaces and mounts).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cc=${CC:-cc}
if ! NSATLAS_NATIVE_SANITIZE=1 node packages/native/build-addon.mjs; then
	echo "0 passed, 1 failed"
	exit 1
fi
asan=$("$cc" -print-file-name=libasan.so)
if [ ! -e "$asan" ]; then
	echo "no libasan.so for $cc (install libasan / gcc)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
passed=0
failed=0
for project in unit int; do
	NSATLAS_NATIVE_SANITIZE=1 \
		LD_PRELOAD="$asan" \
		ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:handle_segv=1 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		node_modules/.bin/vitest run --project "$project" packages/native \
		--reporter=default --reporter=json "--outputFile.json=$out/$project.json"
	status=$?
	# A sanitizer report kills the test worker: its tests count as failed, not as missing.
	counts=$(node -e '
		try {
			const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
			const notPassed = r.numTotalTests - r.numPassedTests - r.numPendingTests - r.numTodoTests;
			const unloaded = r.testResults.filter((t) => t.status === "failed" && t.assertionResults.length === 0).length;
			const failed = Math.max(notPassed, r.numFailedTests) + unloaded;
			console.log(r.numPassedTests, failed === 0 && process.argv[2] !== "0" ? 1 : failed);
		} catch { console.log(0, 1); }' "$out/$project.json" "$status")
	passed=$((passed + ${counts% *}))
	failed=$((failed + ${counts#* }))
done
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
