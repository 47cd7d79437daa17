#!/usr/bin/env bash
# Install (when missing, as root) and start what the test suite uses for real:
# PostgreSQL 15, Redis, Debian's Chromium for Playwright, and a CJK font.
set -euo pipefail

need=()
command -v pg_ctlcluster >/dev/null || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
command -v msgfmt >/dev/null || need+=(gettext)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "test-services: missing Debian packages: ${need[*]} (run as root or install them)" >&2
    exit 1
  fi
  echo "test-services: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# PostgreSQL: the Debian cluster (initdb refuses root).
ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_lsclusters -h | grep -q "^$ver main" || pg_createcluster "$ver" main >/dev/null
pg_lsclusters -h | grep -q "^$ver main .* online" || \
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start
for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 && break; sleep 0.5; done
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else bash -c "$1"; fi; }
as_pg "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='jianglian'\"" | grep -q 1 || \
  as_pg "psql -qc \"CREATE ROLE jianglian LOGIN CREATEDB PASSWORD 'jianglian'\""

# Redis on loopback.
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || \
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' >/dev/null
for _ in $(seq 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.2; done
echo "test-services: PostgreSQL $ver and Redis are up"
