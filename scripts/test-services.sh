# shellcheck shell=bash
# test-services.sh is SOURCED by scripts/test.sh (after scripts/setup.sh
# test installed the packages). It makes sure the services the tests run
# against answer on loopback, starting what is installed but stopped:
#
#   Redis       127.0.0.1:6379
#   PostgreSQL  127.0.0.1:5432 (user postgres, trust auth on loopback)
#   versitygw   a private S3 server on a free loopback port, over a temporary
#               posix directory, with random credentials
#
# and exports where they are for the tests (see internal/systest/testenv):
#
#   KYCQ_TEST_REDIS, KYCQ_TEST_DATABASE_URL, KYCQ_TEST_S3_ENDPOINT,
#   KYCQ_TEST_S3_ACCESS_KEY, KYCQ_TEST_S3_SECRET_KEY, KYCQ_TEST_S3_REGION,
#   KYCQ_TEST_VERSITYGW (the binary, for tests that stop/restart their own),
#   KYCQ_TEST_REQUIRE_SERVICES=1 (a test that cannot reach one fails).
#
# A service already named in the environment (KYCQ_TEST_REDIS,
# KYCQ_TEST_DATABASE_URL, KYCQ_TEST_S3_ENDPOINT) is used as it is, only
# checked. Whatever this script started is stopped when the sourcing shell
# exits (an EXIT trap chained to any existing one, or an explicit call of
# test_services_stop); KYCQ_TEST_KEEP_SERVICES=1 leaves Redis and PostgreSQL
# running. Returns non-zero, with a message, when a service cannot be had.

_kts_root="${KYCQ_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
_kts_cache="${KYCQ_CACHE:-$_kts_root/.cache}"
_kts_sudo=""
[[ $(id -u) -ne 0 ]] && _kts_sudo="sudo -n"
_kts_started_pg=""
_kts_started_redis=""
_kts_vgw_pid=""
_kts_vgw_dir=""

_kts_log() { echo "test-services: $*" >&2; }

# _kts_wait CMD... retries CMD for up to 30 s.
_kts_wait() {
	local i
	for ((i = 0; i < 300; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

_kts_redis_up() { [[ "$(redis-cli -h "$1" -p "$2" ping 2>/dev/null)" == PONG ]]; }

_kts_ensure_redis() {
	if [[ -n "${KYCQ_TEST_REDIS:-}" ]]; then
		local host=${KYCQ_TEST_REDIS%:*} port=${KYCQ_TEST_REDIS##*:}
		_kts_wait _kts_redis_up "$host" "$port" || { _kts_log "Redis at $KYCQ_TEST_REDIS does not answer"; return 1; }
		return 0
	fi
	if ! _kts_redis_up 127.0.0.1 6379; then
		command -v redis-server >/dev/null || { _kts_log "redis-server is not installed (scripts/setup.d/20-redis.sh installs it)"; return 1; }
		_kts_log "starting Redis on 127.0.0.1:6379"
		$_kts_sudo mkdir -p /var/lib/redis /var/log/redis
		$_kts_sudo redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
			--dir /var/lib/redis --logfile /var/log/redis/ci.log || { _kts_log "redis-server failed to start"; return 1; }
		_kts_wait _kts_redis_up 127.0.0.1 6379 || { _kts_log "Redis did not come up (see /var/log/redis/ci.log)"; return 1; }
		_kts_started_redis=1
	fi
	export KYCQ_TEST_REDIS=127.0.0.1:6379
}

_kts_pg_up() { pg_isready -q -h 127.0.0.1 -p 5432; }

_kts_ensure_postgres() {
	if [[ -n "${KYCQ_TEST_DATABASE_URL:-}" ]]; then
		_kts_wait psql "$KYCQ_TEST_DATABASE_URL" -Atqc 'select 1' ||
			{ _kts_log "PostgreSQL at KYCQ_TEST_DATABASE_URL does not answer"; return 1; }
		return 0
	fi
	if ! _kts_pg_up; then
		command -v pg_ctlcluster >/dev/null || { _kts_log "PostgreSQL is not installed (scripts/setup.d/20-postgres.sh installs it)"; return 1; }
		local ver
		# The cluster on port 5432, else the newest one.
		ver=$(pg_lsclusters -h 2>/dev/null | awk '$3 == 5432 {print $1; exit}')
		[[ -n "$ver" ]] || ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
		[[ -n "$ver" ]] || { _kts_log "no PostgreSQL cluster in /etc/postgresql"; return 1; }
		_kts_log "starting PostgreSQL $ver on 127.0.0.1:5432"
		$_kts_sudo pg_ctlcluster --skip-systemctl-redirect "$ver" main start ||
			{ _kts_log "pg_ctlcluster $ver main start failed"; return 1; }
		_kts_wait _kts_pg_up || { _kts_log "PostgreSQL did not come up (see /var/log/postgresql)"; return 1; }
		_kts_started_pg=$ver
	fi
	export KYCQ_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	if ! psql "$KYCQ_TEST_DATABASE_URL" -Atqc 'select 1' >/dev/null 2>&1; then
		_kts_log "PostgreSQL answers but refuses postgres@127.0.0.1 without a password; scripts/setup.d/20-postgres.sh sets trust auth on loopback"
		return 1
	fi
	# Some tests use a database named test.
	if [[ "$(psql "$KYCQ_TEST_DATABASE_URL" -Atqc "select 1 from pg_database where datname = 'test'")" != 1 ]]; then
		psql "$KYCQ_TEST_DATABASE_URL" -qc 'CREATE DATABASE test' >/dev/null 2>&1 || true
	fi
}

_kts_random() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | head -c "$1"; }

_kts_port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

_kts_http_up() { curl -s -o /dev/null --max-time 1 "$1"; }

_kts_start_versitygw() {
	local bin="${KYCQ_TEST_VERSITYGW:-$_kts_cache/bin/versitygw}"
	if [[ ! -x "$bin" ]]; then
		_kts_log "versitygw is not built at $bin (scripts/setup.d/30-versitygw.sh builds it)"
		return 1
	fi
	export KYCQ_TEST_VERSITYGW="$bin"
	if [[ -n "${KYCQ_TEST_S3_ENDPOINT:-}" ]]; then
		_kts_wait _kts_http_up "$KYCQ_TEST_S3_ENDPOINT" || { _kts_log "S3 at $KYCQ_TEST_S3_ENDPOINT does not answer"; return 1; }
		return 0
	fi
	local access secret port attempt
	access="kycq$(_kts_random 16)"
	secret="$(_kts_random 40)"
	_kts_vgw_dir=$(mktemp -d "${TMPDIR:-/tmp}/kycq-s3.XXXXXX")
	for attempt in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 30000))
		_kts_port_free "$port" || continue
		ROOT_ACCESS_KEY_ID="$access" ROOT_SECRET_ACCESS_KEY="$secret" \
			"$bin" --port "127.0.0.1:$port" --region us-east-1 --quiet posix "$_kts_vgw_dir" \
			>"$_kts_cache/versitygw.log" 2>&1 &
		_kts_vgw_pid=$!
		if _kts_wait _kts_http_up "http://127.0.0.1:$port/"; then
			export KYCQ_TEST_S3_ENDPOINT="http://127.0.0.1:$port"
			export KYCQ_TEST_S3_ACCESS_KEY="$access" KYCQ_TEST_S3_SECRET_KEY="$secret" KYCQ_TEST_S3_REGION=us-east-1
			_kts_log "versitygw on $KYCQ_TEST_S3_ENDPOINT (pid $_kts_vgw_pid)"
			return 0
		fi
		kill "$_kts_vgw_pid" 2>/dev/null
		wait "$_kts_vgw_pid" 2>/dev/null
		_kts_vgw_pid=""
	done
	_kts_log "versitygw did not start (see $_kts_cache/versitygw.log)"
	return 1
}

# test_services_stop stops what this script started. Safe to call twice.
test_services_stop() {
	if [[ -n "$_kts_vgw_pid" ]]; then
		kill "$_kts_vgw_pid" 2>/dev/null
		wait "$_kts_vgw_pid" 2>/dev/null
		_kts_vgw_pid=""
	fi
	if [[ -n "$_kts_vgw_dir" ]]; then
		rm -rf "$_kts_vgw_dir"
		_kts_vgw_dir=""
	fi
	if [[ "${KYCQ_TEST_KEEP_SERVICES:-}" != 1 ]]; then
		if [[ -n "$_kts_started_redis" ]]; then
			_kts_log "stopping the Redis it started"
			redis-cli -h 127.0.0.1 -p 6379 shutdown nosave >/dev/null 2>&1
			_kts_started_redis=""
		fi
		if [[ -n "$_kts_started_pg" ]]; then
			_kts_log "stopping the PostgreSQL it started"
			$_kts_sudo pg_ctlcluster --skip-systemctl-redirect "$_kts_started_pg" main stop >/dev/null 2>&1
			_kts_started_pg=""
		fi
	fi
	return 0
}

# Chain an EXIT trap: ours first, then whatever the sourcing shell had.
_kts_prev_exit_trap=""
eval "_kts_prev_exit_trap=$(trap -p EXIT | sed -e 's/^trap -- //' -e 's/ EXIT$//')"
# shellcheck disable=SC2064
trap 'test_services_stop; eval "$_kts_prev_exit_trap"' EXIT

_kts_ensure_redis && _kts_ensure_postgres && _kts_start_versitygw && export KYCQ_TEST_REQUIRE_SERVICES=1
