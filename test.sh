#!/usr/bin/env bash
# The test command (README.md): installs what a fresh machine lacks, then runs every test.
set -euo pipefail
cd "$(dirname "$0")"
exec mvn -B verify
