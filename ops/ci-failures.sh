#!/usr/bin/env bash
# Usage: ops/ci-failures.sh LOG — from a `dotnet test --logger "console;verbosity=normal"` log, print each failed
# test with its error message, the top of its stack trace and the start of its output; a test host that crashed or
# hung; build errors; and each failed project's totals: what .ci/run repeats at the end of a failed run, where CI
# shows it (five test projects report at once, so a failure's own lines can be far up the log).
set -euo pipefail
log=${1:?usage: ops/ci-failures.sh LOG}
echo "=== what failed (the whole output: $log) ==="
awk '
  # A failed test: its name, then its sections (Error Message, Stack Trace, Standard Output Messages) until the
  # next test result; each section cut short.
  /^[[:space:]]*Failed [^ ]/ {
    if (++failed > 20) { skipping = 1; next }
    skipping = 0; inside = 1; limit = 12; n = 0; print; next
  }
  /^[[:space:]]*(Passed|Skipped) / || /^\[xUnit\.net/ { inside = 0; skipping = 0; next }
  skipping { next }
  inside && /^[[:space:]]*Stack Trace:/ { limit = 3; n = 0; print; next }
  inside && /^[[:space:]]*Standard (Output|Error) Messages:/ { limit = 15; n = 0; print; next }
  inside { if (++n <= limit) print; next }
  /Test Run (Failed|Aborted)\./ { totals = 5 }
  totals > 0 { print; totals--; next }
  /: error [A-Z]+[0-9]+: |Test host process crashed|The active test run was aborted|inactivity time/ { print }
  END { if (failed > 20) printf "... and %d more failed tests\n", failed - 20 }
' "$log" | head -n 200
