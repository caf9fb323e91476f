#!/usr/bin/env bash
# Rebuilds static/govuk and static/js/htmx.min.js from the pinned npm packages.
set -euo pipefail
cd "$(dirname "$0")"
npm install --no-audit --no-fund --silent
npx sass --no-source-map --style=compressed --load-path=node_modules app.scss ../static/govuk/app.css
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js ../static/govuk/govuk-frontend.min.js
rm -rf ../static/govuk/assets && mkdir -p ../static/govuk/assets/images
cp node_modules/govuk-frontend/dist/govuk/assets/images/favicon.ico node_modules/govuk-frontend/dist/govuk/assets/images/favicon.svg ../static/govuk/assets/images/
cp node_modules/htmx.org/dist/htmx.min.js ../static/js/htmx.min.js
