#!/usr/bin/env bash
# The deploy check, without a real server (CI, `make test` through tests/deploy/):
#   - renders every template of this machine's part (systemd, Redis, the settings file) with
#     paths that exist here, so a missing placeholder fails;
#   - `systemd-analyze verify` on the units (any complaint fails), and
#     `systemd-analyze security` must rate each unit's exposure at most MAX_EXPOSURE;
#   - apt reads the unattended-upgrades settings as security only;
#   - logrotate accepts its file;
#   - shellcheck on every script in deploy/ (install/ included), following what each sources;
#   - deploy/check-edge.sh (nginx -t, tor --verify-config) when it is there.
# Usage: deploy/check.sh [DEPLOY_DIR]   (default: the folder this script is in)
set -euo pipefail

DEPLOY=$(cd "${1:-$(dirname "${BASH_SOURCE[0]}")}" && pwd)
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# systemd counts exposure from 0 to 100 and prints it divided by ten: 20 is "2.0".
MAX_EXPOSURE=${MAX_EXPOSURE:-20}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fail() { echo "check.sh: FAIL: $*" >&2; exit 1; }
for tool in systemd-analyze shellcheck logrotate apt-config; do
    command -v "$tool" >/dev/null || fail "$tool is missing: make deploy-tools (part of make test) installs it"
done

# Values as install.sh would give them, but pointing at this checkout.
export AMANAT_ROOT=$REPO AMANAT_VENV=$REPO/.venv AMANAT_DATA=$WORK/data
export AMANAT_ENV_FILE=$WORK/amanat.env AMANAT_USER=amanat AMANAT_WEB_BIND=127.0.0.1:8000
export AMANAT_IP_ALLOW=localhost AMANAT_HOST=amanat.example.org AMANAT_TRUSTED_PROXIES=127.0.0.1,::1
export AMANAT_DB_ADDRESS=127.0.0.1:5432 AMANAT_REDIS_ADDRESS=127.0.0.1:6379
export AMANAT_ALLOWED_HOSTS=$AMANAT_HOST AMANAT_CSRF_ORIGINS=https://$AMANAT_HOST
export SECRET_KEY=x RECEIPT_PEPPER=x RATELIMIT_SECRET=x AMANAT_DB_PASSWORD=x AMANAT_REDIS_PASSWORD=x
[[ -x $AMANAT_VENV/bin/gunicorn ]] || fail "$AMANAT_VENV/bin/gunicorn is missing (make test makes the venv)"
mkdir -p "$AMANAT_DATA/sealed"

echo "render: the templates"
mkdir -p "$WORK/units"
for template in "$DEPLOY"/systemd/*.service.in; do
    "$DEPLOY/render.sh" "$template" >"$WORK/units/$(basename "$template" .in)"
done
for template in "$DEPLOY"/systemd/*.mount.in; do
    AMANAT_EDGE_MEMORY_UNIT=25%% "$DEPLOY/render.sh" "$template" >"$WORK/units/$(basename "$template" .in)"
done
cp "$DEPLOY"/systemd/*.target "$WORK/units/"
"$DEPLOY/render.sh" "$DEPLOY/redis/redis.conf.in" >"$WORK/redis.conf"
"$DEPLOY/render.sh" "$DEPLOY/amanat.env.in" >"$AMANAT_ENV_FILE"

echo "systemd-analyze verify: the units"
units=("$WORK"/units/*)
out=$(cd "$WORK/units" && systemd-analyze verify --man=no "${units[@]}" 2>&1) \
    || fail "systemd-analyze verify refused the units:"$'\n'"$out"
[[ -z $out ]] || fail "systemd-analyze verify complained:"$'\n'"$out"

echo "systemd-analyze security: each service's exposure at most $MAX_EXPOSURE/100"
for unit in "$WORK"/units/*.service; do
    systemd-analyze security --offline=yes --threshold="$MAX_EXPOSURE" "$unit" >"$WORK/security" 2>&1 \
        || fail "$(basename "$unit") is more exposed than $MAX_EXPOSURE:"$'\n'"$(tail -n 1 "$WORK/security")"
done

echo "apt: unattended upgrades take security updates only"
# shellcheck disable=SC2016 # apt's own variable
printf '%s\n' 'Unattended-Upgrade::Origins-Pattern { "origin=Debian,codename=${distro_codename},label=Debian"; };' \
    >"$WORK/50unattended-upgrades"
patterns=$(apt-config -c "$WORK/50unattended-upgrades" -c "$DEPLOY/apt/52amanat-unattended-upgrades" \
    dump Unattended-Upgrade::Origins-Pattern | grep '^Unattended-Upgrade::Origins-Pattern:: ' || true)
[[ $(wc -l <<<"$patterns") -eq 1 && $patterns == *label=Debian-Security* ]] \
    || fail "unattended-upgrades would not follow Debian-Security alone:"$'\n'"$patterns"
apt-config -c "$DEPLOY/apt/20auto-upgrades" dump APT::Periodic::Unattended-Upgrade \
    | grep -q '"1"' || fail "20auto-upgrades does not switch unattended upgrades on"

echo "logrotate: its file parses"
sed "s|/var/log/amanat|$WORK/logs|; s|su root adm|su $(id -un) $(id -gn)|" "$DEPLOY/logrotate/amanat" >"$WORK/logrotate.conf"
mkdir -p "$WORK/logs" && touch "$WORK/logs/web.log"
logrotate --debug --state "$WORK/logrotate.state" "$WORK/logrotate.conf" >"$WORK/logrotate.out" 2>&1 \
    || fail "logrotate refused deploy/logrotate/amanat:"$'\n'"$(cat "$WORK/logrotate.out")"
if grep -qi 'error' "$WORK/logrotate.out"; then
    fail "logrotate complained:"$'\n'"$(grep -i error "$WORK/logrotate.out")"
fi

echo "shellcheck: every script in deploy/ and deploy/install/, and amanat-manage as rendered"
"$DEPLOY/render.sh" "$DEPLOY/amanat-manage.in" >"$WORK/amanat-manage"
mapfile -t scripts < <(find "$DEPLOY" -name '*.sh' -type f | sort)
# -x: install.sh's parts (install/*.sh) are read where it sources them, so that what it
# sets and they use counts as used; each part is checked on its own too.
shellcheck -x "${scripts[@]}" "$WORK/amanat-manage" || fail "shellcheck found problems (above)"

if [[ -x $DEPLOY/check-edge.sh ]]; then
    echo "check-edge.sh: nginx and tor"
    "$DEPLOY/check-edge.sh" || fail "deploy/check-edge.sh failed (above)"
fi
echo "check.sh: all deploy checks passed"
