#!/usr/bin/env bash
# promtool-test.sh checks the Prometheus configurations and alert rules in
# deploy/prometheus and runs the rules' unit tests. make test runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v promtool >/dev/null || { echo "promtool missing: run scripts/setup.sh test" >&2; exit 1; }
promtool check rules deploy/prometheus/rules/*.yml
promtool test rules deploy/prometheus/tests/*.yml
# The scrape configurations name a token file that exists only where
# Prometheus runs, and rules relative to themselves: check each in a
# scratch directory with a stand-in token and a copy of the rules.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/rules"
cp deploy/prometheus/rules/*.yml "$tmp/rules/"
echo test-token >"$tmp/token"
for conf in prometheus.yml kubernetes.yml compose.yml; do
	sed "s#/etc/prometheus/kycq-metrics-token#$tmp/token#" "deploy/prometheus/$conf" >"$tmp/$conf"
	if [[ $conf == kubernetes.yml ]] && ! promtool check config "$tmp/$conf" >"$tmp/out" 2>&1 &&
		grep -q "field kubernetes_sd_configs not found" "$tmp/out"; then
		# Debian builds Prometheus without Kubernetes service discovery:
		# check everything else, with the discovery block swapped for a
		# static target.
		echo "note: this promtool has no kubernetes_sd_configs; checking $conf with static targets in its place"
		perl -0pi -e 's/kubernetes_sd_configs:\n\s+- role: pod\n\s+namespaces: \{names: \[kycq\]\}/static_configs:\n      - targets: ["127.0.0.1:1"]/g' "$tmp/$conf"
	fi
	promtool check config "$tmp/$conf"
done
# Every query of the Grafana dashboard must parse.
go run ./internal/tools/dashrules <deploy/grafana/kycq.json >"$tmp/dashboard.rules.yml"
promtool check rules "$tmp/dashboard.rules.yml"
