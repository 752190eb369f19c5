#!/usr/bin/env bash
# The test command named in README.md. On a fresh machine it installs what the tests need
# (Tesseract OCR with English data, poppler, python3 for the server tests' http.client, and node + npm for the
# S3 tests' s3rver, from Debian packages), then runs every test with `mvn -B verify`.
# Safe to run again: installed packages are detected and skipped.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
[ -f /usr/share/tesseract-ocr/5/tessdata/eng.traineddata ] || need+=(tesseract-ocr-eng)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v python3 >/dev/null 2>&1 || need+=(python3)  # the server tests answer Python's http.client
# the S3 store's tests run s3rver (installed from npm on first use) with node
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "test.sh: installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

export OMP_THREAD_LIMIT=1
exec mvn -B verify "$@"
