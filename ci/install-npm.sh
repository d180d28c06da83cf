#!/usr/bin/env bash
# Installs the npm packages the tests use into the repository's node_modules/ (ignored by git).
# plotly.js-dist-min: embedded in HTML pages that must render offline (notebook exports, browser tests).
# katex: typesets the formulas of notebook exports offline (its script, stylesheet and fonts are embedded in the page).
# Both in one command: `npm install --no-save` removes every package it was not given.
set -euo pipefail
cd "$(dirname "$0")/.."
plotly_version=4.1.2
katex_version=0.16.11
if [ ! -f node_modules/plotly.js-dist-min/plotly.min.js ] || ! grep -q "\"version\": \"$plotly_version\"" node_modules/plotly.js-dist-min/package.json \
   || [ ! -f node_modules/katex/dist/katex.min.js ] || ! grep -q "\"version\": \"$katex_version\"" node_modules/katex/package.json; then
  npm install --no-save --no-package-lock --no-audit --no-fund "plotly.js-dist-min@$plotly_version" "katex@$katex_version"
fi
