#!/usr/bin/env bash
# Install Amanat on one Debian 12 server, from the checkout this script lives in
# (docs/DEPLOY.md). Idempotent: a second run changes nothing, and after a failed step a new
# run takes up where it stopped. Asks for the host name and the organisation's name, or:
#
#   deploy/install.sh --host amanat.example.org --org-name "Our NGO" \
#       [--coordinator LOGIN] [--password-file FILE] [--email ADDRESS] \
#       [--cert FULLCHAIN --key PRIVKEY] [--staff-onion] [--no-beat] \
#       [--allow-net "localhost 10.0.0.0/24"] [--role all|web|worker [--beat]]
#   --role web|worker: a machine of several (docs/SCALING.md), only gunicorn or only the
#                      Celery worker (and beat with --beat), with the settings file copied
#                      from the first machine beforehand: its secrets are never made here
#   deploy/install.sh --dry-run            list the steps, do nothing
#   deploy/install.sh --root DIR ...       write every file under DIR and run no command
#                                          (each is printed instead): for tests and review
set -Eeuo pipefail  # -E: the ERR trap below fires inside functions too
# `... | put ...`: put, last in the pipe, runs in this shell, so that the files it
# changes are counted (CHANGED decides whether the services restart).
shopt -s lastpipe

DEPLOY=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export AMANAT_ROOT=${AMANAT_ROOT:-$(dirname "$DEPLOY")}
export AMANAT_VENV=${AMANAT_VENV:-$AMANAT_ROOT/.venv}
export AMANAT_DATA=${AMANAT_DATA:-/var/lib/amanat}
export AMANAT_ENV_FILE=${AMANAT_ENV_FILE:-/etc/amanat/amanat.env}
export AMANAT_USER=${AMANAT_USER:-amanat}
# Given here, or else kept from the files an earlier run wrote (an administrator may have
# edited them), or else the one-host default: step_secrets, step_nginx, step_services.
export AMANAT_WEB_BIND=${AMANAT_WEB_BIND:-}
export AMANAT_TRUSTED_PROXIES=${AMANAT_TRUSTED_PROXIES:-}
export AMANAT_IP_ALLOW=${AMANAT_IP_ALLOW:-}
export AMANAT_UPSTREAMS=${AMANAT_UPSTREAMS:-}
export AMANAT_DB_ADDRESS=${AMANAT_DB_ADDRESS:-}
export AMANAT_REDIS_ADDRESS=${AMANAT_REDIS_ADDRESS:-}
export AMANAT_HTTPS_LISTEN=${AMANAT_HTTPS_LISTEN:-443}
export AMANAT_HTTP_LISTEN=${AMANAT_HTTP_LISTEN:-80}
export AMANAT_ONION_LISTEN=${AMANAT_ONION_LISTEN:-127.0.0.1:8080}
export AMANAT_CLIENT_KEY_CONF=${AMANAT_CLIENT_KEY_CONF:-/etc/nginx/amanat-client-key.conf}
export AMANAT_EDGE_PAGES=${AMANAT_EDGE_PAGES:-/etc/nginx/amanat-pages}
export AMANAT_EDGE_MEMORY=${AMANAT_EDGE_MEMORY:-}
export AMANAT_ACME_ROOT=${AMANAT_ACME_ROOT:-/var/www/letsencrypt}
export AMANAT_STAFF_ONION_LISTEN=${AMANAT_STAFF_ONION_LISTEN:-127.0.0.1:8081}
ONION_DIR=/var/lib/tor/amanat
STAFF_ONION_DIR=/var/lib/tor/amanat-staff
STAFF_TORRC=/etc/tor/torrc.d/amanat-staff.conf
MIGRATE_ENV=$(dirname "$AMANAT_ENV_FILE")/migrate.env
BEAT_MARKER=/etc/amanat/beat-node
RESTART_MARKER=/etc/amanat/restart-pending
PG_ETC=/etc/postgresql/15/main
SNAKEOIL_CERT=/etc/ssl/certs/ssl-cert-snakeoil.pem
SNAKEOIL_KEY=/etc/ssl/private/ssl-cert-snakeoil.key
# Settings of the other machines' parts, absent on one host: an administrator adds them to
# the settings file (deploy/amanat.env.in lists them) and every run keeps them as they are.
OPTIONAL_SETTINGS=(SEALED_STORAGE_URL SEALED_STORAGE_ENDPOINT SEALED_STORAGE_REGION
    SEALED_STORAGE_ADDRESSING AWS_ACCESS_KEY_ID AWS_ACCESS_KEY_ID_FILE AWS_SECRET_ACCESS_KEY
    AWS_SECRET_ACCESS_KEY_FILE DATABASE_REPLICA_URL DATABASE_REPLICA_URL_FILE CELERY_BROKER_URL
    CELERY_BROKER_URL_FILE AMANAT_CELERY_QUEUE AMANAT_BEAT_LOCK_SECONDS)
# A web node or a worker: Python and what Amanat's own code loads, no servers.
NODE_PACKAGES=(python3.11 python3.11-venv python3-pip ssl-cert unattended-upgrades
    apt-listchanges logrotate libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 age)
PACKAGES=(python3.11 python3.11-venv python3-pip postgresql redis-server nginx
    libnginx-mod-http-js tor certbot ssl-cert unattended-upgrades apt-listchanges logrotate
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 age)

PREFIX=""           # --root DIR: every path below is written under it
RUN_AS=""           # as_amanat's user when not amanat (root, per call), never inherited
DRY_RUN=""
HOST=${AMANAT_HOST:-}
ORG_NAME=${AMANAT_ORG_NAME:-}
COORDINATOR=${AMANAT_COORDINATOR:-}
PASSWORD_FILE=${AMANAT_PASSWORD_FILE:-}
EMAIL=${AMANAT_EMAIL:-}
OWN_CERT=""
OWN_KEY=""
BEAT=default       # yes on the one-host install (--role all), else only with --beat
ROLE=all
STAFF=""
CHANGED=0
STEP=""

STEPS=(
    "check:this is Debian 12, run as root, with a host name and an organisation name"
    "packages:install Debian's packages (PostgreSQL, Redis, nginx with njs, Tor, certbot, ...)"
    "folders:create the amanat user and its folders, owner-only"
    "onion:configure Tor's onion service (and the staff one) and read the .onion names back"
    "secrets:make the secrets once into $AMANAT_ENV_FILE (root-only) and write the settings"
    "venv:create the Python environment in $AMANAT_VENV and install the dependencies"
    "database:configure PostgreSQL (local only, SCRAM, quiet log); the owner and app roles"
    "redis:configure Redis (local only, password, nothing on disk)"
    "django:collect the static files and migrate the database"
    "bootstrap:create the organisation and print the recovery shares, once"
    "nginx:configure nginx (the client-token key once, the site, Onion-Location)"
    "tls:obtain a certificate from Let's Encrypt (or use the one given)"
    "services:install the systemd units, log rotation and security updates; start Amanat"
)
# The steps of a machine that is only a web node, or only a worker (--role).
WEB_STEPS=" check packages folders secrets venv django services "
WORKER_STEPS=" check packages folders secrets venv services "

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

# The helpers and the steps, found next to this script's real path (it may be called
# through a link).
PARTS=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/install
# shellcheck source=SCRIPTDIR/install/common.sh
. "$PARTS/common.sh"
# shellcheck source=SCRIPTDIR/install/steps.sh
. "$PARTS/steps.sh"
# The line of the file the failed command is in (one of these, or install.sh).
trap 'failed "$LINENO" "$BASH_COMMAND" "${BASH_SOURCE[0]:-$0}"' ERR

parse_args() {
    while [[ $# -gt 0 ]]; do
        case $1 in
            --host) HOST=$2; shift 2 ;;
            --org-name) ORG_NAME=$2; shift 2 ;;
            --coordinator) COORDINATOR=$2; shift 2 ;;
            --password-file) PASSWORD_FILE=$2; shift 2 ;;
            --email) EMAIL=$2; shift 2 ;;
            --cert) OWN_CERT=$2; shift 2 ;;
            --key) OWN_KEY=$2; shift 2 ;;
            --no-beat) BEAT=no; shift ;;
            --beat) BEAT=yes; shift ;;
            --role) ROLE=$2; shift 2 ;;
            --staff-onion) STAFF=yes; shift ;;
            --allow-net) AMANAT_IP_ALLOW=$2; shift 2 ;;
            --root) PREFIX=$(mkdir -p "$2" && cd "$2" && pwd); shift 2 ;;
            --dry-run) DRY_RUN=yes; shift ;;
            -h | --help) usage ;;
            *) echo "install.sh: unknown option $1" >&2; usage 2 ;;
        esac
    done
}

main() {
    parse_args "$@"
    if [[ -n $DRY_RUN ]]; then
        say "install.sh would run these steps, in order (nothing is done now):"
        n=0
        for entry in "${STEPS[@]}"; do
            n=$((n + 1))
            say "  $n. ${entry%%:*}: ${entry#*:}"
        done
        exit 0
    fi

    if [[ -n $PREFIX ]]; then
        say "install.sh: --root $PREFIX: files go there, commands are only printed."
    fi
    local entry n=0 steps=()
    for entry in "${STEPS[@]}"; do
        case $ROLE in
            web) [[ $WEB_STEPS == *" ${entry%%:*} "* ]] || continue ;;
            worker) [[ $WORKER_STEPS == *" ${entry%%:*} "* ]] || continue ;;
        esac
        steps+=("$entry")
    done
    for entry in "${steps[@]}"; do
        n=$((n + 1))
        STEP=${entry%%:*}
        say "[$n/${#steps[@]}] $STEP: ${entry#*:}"
        "step_$STEP"
        # A change the services have not taken up yet survives a failure in a later step.
        if [[ $CHANGED -gt 0 && -z $PREFIX && $STEP != services ]]; then
            touch "$RESTART_MARKER"
        fi
    done
    STEP=finished
    if [[ $CHANGED -eq 0 ]]; then
        say "Done: nothing changed (every file was already as it should be)."
    else
        say "Done: $CHANGED file(s) or folder(s) changed."
    fi
    case $ROLE in
        all) say "Amanat: https://$HOST/ and http://$AMANAT_ONION_HOST/ (staff sign in at /staff/login/)." ;;
        web) say "This machine is one of Amanat's web nodes, on $AMANAT_WEB_BIND." ;;
        worker) say "This machine is one of Amanat's workers." ;;
    esac
}

# Run, unless sourced (a test calls single steps).
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    main "$@"
fi
