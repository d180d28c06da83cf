#!/usr/bin/env bash
# Installs the npm packages the tests use into the repository's node_modules/ (ignored by git).
# plotly.js-dist-min: embedded in HTML pages that must render offline (notebook exports, browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."
plotly_version=4.1.2
if [ ! -f node_modules/plotly.js-dist-min/plotly.min.js ] || ! grep -q "\"version\": \"$plotly_version\"" node_modules/plotly.js-dist-min/package.json; then
  npm install --no-save --no-package-lock --no-audit --no-fund "plotly.js-dist-min@$plotly_version"
fi
