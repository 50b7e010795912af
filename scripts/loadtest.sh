#!/usr/bin/env bash
# loadtest.sh is `make loadtest`: it measures kycq's throughput and
# submission→decision latency on this machine with real Redis, PostgreSQL
# and versitygw (started on loopback as for `make test`), for each number
# of `kycq work` processes and each KYCQ_CONCURRENCY, and prints a table.
#
# Each configuration gets a fresh Redis database (leased as the tests
# lease theirs), a fresh PostgreSQL database and a fresh bucket; it runs
# `kycq serve`, N × `kycq work`, then `kycq loadgen`, and stops them.
#
#   LOADTEST_WORKERS       worker processes to try          (default "1 2")
#   LOADTEST_CONCURRENCY   KYCQ_CONCURRENCY values to try   (default "2 4")
#   LOADTEST_CLIENTS       applicants in flight (loadgen -c) (default 8)
#   LOADTEST_N             applicants per configuration      (default 60)
#   LOADTEST_DURATION      stop starting applicants after    (default 3m)
#   LOADTEST_SEED          loadgen -seed: the sample files    (default 1; every row uses the same)
#   LOADTEST_LOGS          keep the processes' logs here     (default a temporary directory)
#
# The machine's load average is printed next to each figure: figures
# taken while other work runs are lower than the machine can do.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
export KYCQ_ROOT="$PWD" KYCQ_CACHE="${KYCQ_CACHE:-$PWD/.cache}"

workers_list=${LOADTEST_WORKERS:-"1 2"}
conc_list=${LOADTEST_CONCURRENCY:-"2 4"}
clients=${LOADTEST_CLIENTS:-8}
seed=${LOADTEST_SEED:-1}
n=${LOADTEST_N:-60}
duration=${LOADTEST_DURATION:-3m}
logs=${LOADTEST_LOGS:-$(mktemp -d "${TMPDIR:-/tmp}/kycq-loadtest.XXXXXX")}
mkdir -p "$logs"

bash scripts/setup.sh test >&2
# Measure against a PostgreSQL that syncs to disk, as in production.
export KYCQ_TEST_PG_DURABLE=1
# shellcheck source=/dev/null
source scripts/test-services.sh
go build -o bin/kycq ./cmd/kycq
kycq="$PWD/bin/kycq"

log() { echo "loadtest: $*" >&2; }
rand_hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 30000))
		port_free "$p" && { echo "$p"; return; }
	done
}
loadavg() { cut -d' ' -f1 /proc/loadavg; }
redis() { redis-cli -h "${KYCQ_TEST_REDIS%:*}" -p "${KYCQ_TEST_REDIS##*:}" "$@"; }

# lease_redis_db takes a Redis database number the way internal/systest/testenv
# does (a key per database in db 0), so tests running meanwhile do not
# share it.
lease_token=""
lease_db=""
lease_redis_db() {
	lease_token="loadtest_$(rand_hex 8)"
	local i db
	for ((i = 0; i < 300; i++)); do
		for db in $(seq 1 15); do
			if [[ "$(redis SET "kycq:testenv:redisdb:$db" "$lease_token" NX EX 1800)" == OK ]]; then
				lease_db=$db
				redis -n "$db" FLUSHDB >/dev/null
				return 0
			fi
		done
		sleep 0.2
	done
	log "no free Redis database"
	return 1
}
release_redis_db() {
	[[ -n "$lease_db" ]] || return 0
	redis -n "$lease_db" FLUSHDB >/dev/null || true
	redis EVAL "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0" \
		1 "kycq:testenv:redisdb:$lease_db" "$lease_token" >/dev/null || true
	lease_db=""
}

pids=()
db_name=""
stop_all() {
	local p
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	pids=()
	if [[ -n "$db_name" ]]; then
		psql "$KYCQ_TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db_name WITH (FORCE)" >/dev/null 2>&1 || true
		db_name=""
	fi
	release_redis_db
}
trap 'stop_all; test_services_stop' EXIT

wait_ready() {
	local i
	for ((i = 0; i < 600; i++)); do
		curl -sf -o /dev/null --max-time 1 "$1/readyz" && return 0
		sleep 0.1
	done
	log "$1 not ready after 60 s (logs in $logs)"
	return 1
}

# run_one WORKERS CONCURRENCY appends one table row to results.
results=()
run_one() {
	local workers=$1 conc=$2 tag="w$1-c$2"
	lease_redis_db
	db_name="kycq_load_$(rand_hex 6)"
	psql "$KYCQ_TEST_DATABASE_URL" -qc "CREATE DATABASE $db_name" >/dev/null
	local db_base=${KYCQ_TEST_DATABASE_URL%%\?*} query=""
	[[ "$KYCQ_TEST_DATABASE_URL" == *\?* ]] && query="?${KYCQ_TEST_DATABASE_URL#*\?}"
	local api_port
	api_port=$(free_port)
	local -a env=(
		REDIS_ADDR="$KYCQ_TEST_REDIS" REDIS_DB="$lease_db"
		DATABASE_URL="${db_base%/*}/$db_name$query"
		S3_ENDPOINT="$KYCQ_TEST_S3_ENDPOINT" S3_REGION="${KYCQ_TEST_S3_REGION:-us-east-1}"
		S3_ACCESS_KEY="$KYCQ_TEST_S3_ACCESS_KEY" S3_SECRET_KEY="$KYCQ_TEST_S3_SECRET_KEY"
		S3_BUCKET="kycq-load-$(rand_hex 6)"
		KYCQ_DATA_KEY="$(rand_hex 32)" KYCQ_HASH_KEY="$(rand_hex 32)" KYCQ_API_TOKEN="t-$(rand_hex 16)"
		KYCQ_ADDR="127.0.0.1:$api_port" KYCQ_CONCURRENCY="$conc" KYCQ_LOG_LEVEL=info
		KYCQ_KNOWN_FACES=false # the pool reuses two faces on every account (rules §10 would flag them)
	)
	env "${env[@]}" KYCQ_METRICS_ADDR="127.0.0.1:$(free_port)" "$kycq" serve >"$logs/$tag-serve.log" 2>&1 &
	pids+=($!)
	wait_ready "http://127.0.0.1:$api_port"
	local i mport
	for ((i = 1; i <= workers; i++)); do
		mport=$(free_port)
		env "${env[@]}" KYCQ_METRICS_ADDR="127.0.0.1:$mport" "$kycq" work >"$logs/$tag-work$i.log" 2>&1 &
		pids+=($!)
		wait_ready "http://127.0.0.1:$mport"
	done
	local before after row token
	token=$(printf '%s\n' "${env[@]}" | sed -n 's/^KYCQ_API_TOKEN=//p')
	before=$(loadavg)
	log "$workers worker(s) × KYCQ_CONCURRENCY=$conc: kycq loadgen -url http://127.0.0.1:$api_port -n $n -c $clients -duration $duration"
	row=$(KYCQ_API_TOKEN="$token" "$kycq" loadgen -url "http://127.0.0.1:$api_port" -n "$n" -c "$clients" \
		-duration "$duration" -pool 4 -seed "$seed" -tsv) || log "some applicants failed (see $logs)"
	after=$(loadavg)
	stop_all
	results+=("$(printf '%s\t%s\t%s\t%s\t%s' "$workers" "$conc" "$row" "$before" "$after")")
}

log "logs in $logs"
for w in $workers_list; do
	for k in $conc_list; do
		run_one "$w" "$k"
	done
done

echo
echo "kycq load test: $(nproc) CPUs, $n applicants per row, $clients in flight; latency is submission → decision"
printf '%-8s %-12s %8s %7s %9s %9s %8s %8s %8s %8s %10s %12s\n' workers concurrency decided failed "elapsed" "verif/min" p50 p90 p99 max "approved" "load avg"
for r in "${results[@]}"; do
	IFS=$'\t' read -r w k decided failed elapsed permin p50 p90 p99 max approved _ _ la1 la2 <<<"$r"
	printf '%-8s %-12s %8s %7s %8ss %9s %7ss %7ss %7ss %7ss %10s %5s→%-5s\n' "$w" "$k" "$decided" "$failed" "$elapsed" "$permin" "$p50" "$p90" "$p99" "$max" "$approved" "$la1" "$la2"
done
