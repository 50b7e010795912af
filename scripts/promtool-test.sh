#!/usr/bin/env bash
# promtool-test.sh checks the Prometheus configuration and alert rules in
# deploy/prometheus and runs their unit tests. make test runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v promtool >/dev/null || { echo "promtool missing: run scripts/setup.sh test" >&2; exit 1; }
promtool check rules deploy/prometheus/rules/*.yml
promtool test rules deploy/prometheus/tests/*.yml
# The scrape config names a token file that exists only where Prometheus
# runs; check it with a stand-in file.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/rules"
cp deploy/prometheus/rules/*.yml "$tmp/rules/"
echo test-token >"$tmp/token"
sed "s#/etc/prometheus/kycq-metrics-token#$tmp/token#" deploy/prometheus/prometheus.yml >"$tmp/prometheus.yml"
promtool check config "$tmp/prometheus.yml"
# Every query of the Grafana dashboard must parse.
go run ./internal/tools/dashrules <deploy/grafana/kycq.json >"$tmp/dashboard.rules.yml"
promtool check rules "$tmp/dashboard.rules.yml"
