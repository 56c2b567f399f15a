#!/usr/bin/env bash
# Installs the KQL reference oracle (Microsoft's Kusto.Language parser running in node) that the
# palisade-kql conformance harness compares against.
# It never fails CI: without shared/, node or npm the harness skips loudly, and this script says
# why here.
# Shared is found as $PALISADE_SHARED or <repo>/../shared.
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${PALISADE_SHARED:-$repo/../shared}
install=$shared/tools/kql-oracle/install.sh

if [ ! -f "$install" ]; then
  echo "oracle: SKIPPED: $install not found (set PALISADE_SHARED); conformance tests will skip"
  exit 0
fi

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "oracle: SKIPPED: \`$tool\` is not on PATH; conformance tests will skip"
    exit 0
  fi
done

if bash "$install"; then
  echo "oracle: ready ($(node --version), package in ${KQL_ORACLE_HOME:-$HOME/.cache/kql-oracle})"
else
  status=$?
  echo "oracle: FAILED: $install exited with status $status; conformance tests will skip"
fi
exit 0
