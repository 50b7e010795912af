# shellcheck shell=bash
# test-services.sh is SOURCED by scripts/test.sh (after scripts/setup.sh
# test installed the packages). It makes sure the services the tests run
# against answer on loopback, starting what is installed but stopped:
#
#   Redis       127.0.0.1:6379
#   PostgreSQL  a private cluster on a free loopback port, in a temporary
#               directory copied from a template initialised once in the
#               cache (user postgres, trust auth); the system's PostgreSQL
#               and its pg_hba.conf are left alone
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
# test_services_stop); KYCQ_TEST_KEEP_SERVICES=1 leaves Redis running (the
# private PostgreSQL and versitygw live only as long as the shell). Returns
# non-zero, with a message, when a service cannot be had.

_kts_root="${KYCQ_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
_kts_cache="${KYCQ_CACHE:-$_kts_root/.cache}"
_kts_sudo=""
[[ $(id -u) -ne 0 ]] && _kts_sudo="sudo -n"
_kts_pg_dir=""
_kts_pg_bin_dir=""
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

# _kts_pg_bin prints the directory of the newest installed PostgreSQL
# server binaries (Debian: /usr/lib/postgresql/VERSION/bin).
_kts_pg_bin() {
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
	[[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]] || return 1
	echo "$d"
}

# _kts_as_pg runs its arguments as the owner of the private cluster: the
# postgres user when root (PostgreSQL refuses to run as root), else the
# caller.
_kts_as_pg() {
	if [[ $(id -u) -eq 0 ]]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# _kts_pg_template makes (once per PostgreSQL version and owner, under a
# lock: several shells may share the cache) an initialised data directory
# with trust authentication and a database named test, and prints its path.
# Copying it is much faster than running initdb for every test run.
_kts_pg_template() {
	local bin=$1 ver owner tpl tmp
	ver=$(basename "$(dirname "$bin")")
	owner=$(id -un)
	[[ $(id -u) -eq 0 ]] && owner=postgres
	tpl="$_kts_cache/postgres-template/$ver-$owner"
	if [[ ! -f "$tpl/data/PG_VERSION" ]]; then
		mkdir -p "$_kts_cache/postgres-template"
		(
			flock 9
			[[ -f "$tpl/data/PG_VERSION" ]] && exit 0
			tmp=$(mktemp -d "$_kts_cache/postgres-template/new.XXXXXX") || exit 1
			[[ $(id -u) -eq 0 ]] && chown postgres: "$tmp"
			if ! _kts_as_pg "$bin/initdb" -D "$tmp/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 \
				>"$tmp/initdb.log" 2>&1; then
				cat "$tmp/initdb.log" >&2
				rm -rf "$tmp"
				exit 1
			fi
			# Some tests use a database named test; single-user mode needs no server.
			if ! echo 'CREATE DATABASE test' | _kts_as_pg "$bin/postgres" --single -D "$tmp/data" postgres \
				>"$tmp/single.log" 2>&1; then
				cat "$tmp/single.log" >&2
				rm -rf "$tmp"
				exit 1
			fi
			rm -rf "$tpl"
			mv "$tmp" "$tpl"
		) 9>"$_kts_cache/postgres-template/lock" || return 1
	fi
	echo "$tpl"
}

# _kts_ensure_postgres starts a private PostgreSQL cluster for the tests: a
# copy of the template data directory in a temporary directory, listening
# on a free loopback port (and a Unix socket in that directory only), trust
# authentication, no fsync (unless KYCQ_TEST_PG_DURABLE=1). The system's
# PostgreSQL, its clusters and their pg_hba.conf are never touched.
_kts_ensure_postgres() {
	if [[ -n "${KYCQ_TEST_DATABASE_URL:-}" ]]; then
		_kts_wait psql "$KYCQ_TEST_DATABASE_URL" -Atqc 'select 1' ||
			{ _kts_log "PostgreSQL at KYCQ_TEST_DATABASE_URL does not answer"; return 1; }
		return 0
	fi
	local bin tpl port attempt fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	# The load test measures with the defaults (KYCQ_TEST_PG_DURABLE=1).
	[[ "${KYCQ_TEST_PG_DURABLE:-}" == 1 ]] && fast=""
	bin=$(_kts_pg_bin) || { _kts_log "PostgreSQL is not installed (scripts/setup.d/20-postgres.sh installs it)"; return 1; }
	if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
		_kts_log "no postgres user to run the private PostgreSQL as (the postgresql package creates it)"
		return 1
	fi
	tpl=$(_kts_pg_template "$bin") || { _kts_log "initdb of the PostgreSQL template in $_kts_cache/postgres-template failed"; return 1; }
	_kts_pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/kycq-pg.XXXXXX")
	cp -a "$tpl/data" "$_kts_pg_dir/data" || { _kts_log "copying $tpl failed"; return 1; }
	[[ $(id -u) -eq 0 ]] && chown postgres: "$_kts_pg_dir"
	for attempt in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 30000))
		_kts_port_free "$port" || continue
		if _kts_as_pg "$bin/pg_ctl" -D "$_kts_pg_dir/data" -l "$_kts_pg_dir/postgres.log" -w -t 30 -s \
			-o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$_kts_pg_dir $fast -c max_connections=200" \
			start >/dev/null 2>&1; then
			_kts_pg_bin_dir=$bin
			export KYCQ_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
			_kts_log "private PostgreSQL on 127.0.0.1:$port (data $_kts_pg_dir)"
			return 0
		fi
		# The port was taken between the check and the start: try another.
		grep -q "could not bind\|Address already in use" "$_kts_pg_dir/postgres.log" 2>/dev/null ||
			{ _kts_log "PostgreSQL did not start:"; cat "$_kts_pg_dir/postgres.log" >&2; return 1; }
	done
	_kts_log "PostgreSQL found no free port (see $_kts_pg_dir/postgres.log)"
	return 1
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
	if [[ -n "$_kts_pg_dir" ]]; then
		if [[ -n "$_kts_pg_bin_dir" ]]; then
			_kts_as_pg "$_kts_pg_bin_dir/pg_ctl" -D "$_kts_pg_dir/data" -m immediate -w -t 30 -s stop >/dev/null 2>&1
			_kts_pg_bin_dir=""
		fi
		rm -rf "$_kts_pg_dir"
		_kts_pg_dir=""
	fi
	if [[ "${KYCQ_TEST_KEEP_SERVICES:-}" != 1 ]]; then
		if [[ -n "$_kts_started_redis" ]]; then
			_kts_log "stopping the Redis it started"
			redis-cli -h 127.0.0.1 -p 6379 shutdown nosave >/dev/null 2>&1
			_kts_started_redis=""
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
