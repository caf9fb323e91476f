#!/usr/bin/env bash
# Rebuilds static/govuk, static/js/htmx.min.js and static/js/vega/ from the pinned npm packages.
set -euo pipefail
cd "$(dirname "$0")"
npm install --no-audit --no-fund --silent
npx sass --no-source-map --style=compressed --load-path=node_modules app.scss ../static/govuk/app.css
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js ../static/govuk/govuk-frontend.min.js
rm -rf ../static/govuk/assets && mkdir -p ../static/govuk/assets/images
cp node_modules/govuk-frontend/dist/govuk/assets/images/{favicon.ico,favicon.svg,govuk-crest.svg} ../static/govuk/assets/images/
cp node_modules/htmx.org/dist/htmx.min.js ../static/js/htmx.min.js
# Vega, Vega-Lite, vega-embed and vega-interpreter (CSP-safe expressions) for the charts: static/js/vega/.
node vendor-vega.mjs
