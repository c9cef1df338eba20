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
# `render ... | put ...`: put, last in the pipe, runs in this shell, so that the files it
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


# What to do when a step fails, said once, by name.
hint() {
    case $1 in
        check) echo "Run as root on Debian 12, with --host and --org-name or answers to the questions." ;;
        packages) echo "Check the network and 'apt-get update' by hand; fix what apt reports." ;;
        folders) echo "Look at the path named above: something else may be in its place." ;;
        onion) echo "Check 'systemctl status tor' and /etc/tor/torrc ('tor --verify-config')." ;;
        secrets) echo "Check that /etc/amanat is a folder owned by root and the disk is not full." ;;
        venv) echo "Check the network (PyPI) and the disk; $AMANAT_VENV can be deleted safely." ;;
        database) echo "Check 'systemctl status postgresql' and /var/log/postgresql/." ;;
        redis) echo "Run 'sudo -u redis redis-server /etc/redis/redis.conf' to see Redis's complaint." ;;
        django) echo "Read the Django error above; the settings are in $AMANAT_ENV_FILE." ;;
        bootstrap) echo "Read the reason above (e.g. a refused password). Nothing was created." ;;
        nginx) echo "Run 'nginx -t' to see what nginx refuses." ;;
        tls) echo "Check that the DNS name points at this server and port 80 is reachable." ;;
        services) echo "Run 'systemctl status amanat-web amanat-worker' and read /var/log/amanat/." ;;
    esac
}

failed() {
    local status=$? line=$1 command=$2
    # Inside $(...) only stop: the main shell reports, once.
    [[ $BASHPID == "$$" ]] || exit "$status"
    trap - ERR
    {
        echo
        echo "install.sh: FAILED at step '$STEP' (line $line: $command, exit $status)."
        echo "  $(hint "$STEP")"
        echo "  Nothing after this step was done. Run install.sh again once it is fixed:"
        echo "  the steps already done are checked and kept, not done twice."
    } >&2
    exit 1
}
trap 'failed "$LINENO" "$BASH_COMMAND"' ERR

say() { printf '%s\n' "$*"; }

# Every command that changes the system goes through here; with --root it is only printed.
sys() {
    if [[ -n $PREFIX ]]; then
        say "  would run:$(printf ' %q' "$@")"
    else
        "$@"
    fi
}

# Install stdin as FILE with MODE and OWNER (user:group), only when it differs.
put() {
    local mode=$1 owner=$2 file=$3 path=$PREFIX$3 tmp
    tmp=$(mktemp)
    cat >"$tmp"
    if [[ -f $path ]] && cmp -s "$tmp" "$path"; then
        rm -f "$tmp"
    else
        mkdir -p "$(dirname "$path")"
        install -m "$mode" "$tmp" "$path"
        rm -f "$tmp"
        say "  wrote $file"
        CHANGED=$((CHANGED + 1))
    fi
    if [[ $(stat -c %a "$path") != "${mode#0}" ]]; then
        chmod "$mode" "$path"
        say "  mode $mode on $file"
        CHANGED=$((CHANGED + 1))
    fi
    own "$owner" "$file"
}

# A folder with MODE and OWNER.
folder() {
    local mode=$1 owner=$2 dir=$3 path=$PREFIX$3
    if [[ ! -d $path ]]; then
        mkdir -p "$path"
        say "  made $dir"
        CHANGED=$((CHANGED + 1))
    fi
    if [[ $(stat -c %a "$path") != "${mode#0}" ]]; then
        chmod "$mode" "$path"
        CHANGED=$((CHANGED + 1))
    fi
    own "$owner" "$dir"
}

# Ownership needs the real users: not set under --root.
own() {
    [[ -n $PREFIX ]] && return 0
    if [[ $(stat -c %U:%G "$2") != "$1" ]]; then
        chown "$1" "$2"
        say "  owner $1 on $2"
        CHANGED=$((CHANGED + 1))
    fi
}

render() { "$DEPLOY/render.sh" "$1"; }

# A value already in a KEY=value file, or "".
value_in() {
    if [[ -f $PREFIX$2 ]]; then
        sed -n "s/^$1=//p" "$PREFIX$2" | head -n 1
    fi
}

# Set NAME, unless given to install.sh, to its value in the settings file, or to DEFAULT.
keep_setting() {
    local name=$1 default=$2
    [[ -n ${!name} ]] || export "$name=$(value_in "$name" "$AMANAT_ENV_FILE")"
    [[ -n ${!name} ]] || export "$name=$default"
}

# The optional settings found in the settings file, one NAME=value line each.
optional_settings() {
    local name value
    for name in "${OPTIONAL_SETTINGS[@]}"; do
        value=$(value_in "$name" "$AMANAT_ENV_FILE")
        [[ -z $value ]] || printf '%s=%s\n' "$name" "$value"
    done
}

new_secret() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }

# Run a command as the amanat user with the settings file's environment (never on the
# command line, where other users could read it in /proc).
as_amanat() {
    if [[ -n $PREFIX ]]; then
        say "  would run as $AMANAT_USER:$(printf ' %q' "$@")"
        return 0
    fi
    (
        set -a
        # shellcheck disable=SC1090
        . "$AMANAT_ENV_FILE"
        if [[ -n ${OVERRIDE_ENV:-} ]]; then
            # shellcheck disable=SC1090
            . "$OVERRIDE_ENV"
        fi
        set +a
        cd "$AMANAT_ROOT"
        export PYTHONPATH=$AMANAT_ROOT
        runuser -u "$AMANAT_USER" -- "$@"
    )
}

ask() {
    local prompt=$1 answer=""
    if [[ ! -t 0 ]]; then
        echo "install.sh: $prompt: give it as an option (see --help); no terminal to ask on." >&2
        return 1
    fi
    while [[ -z $answer ]]; do read -r -p "$prompt: " answer; done
    printf '%s' "$answer"
}

step_check() {
    if [[ -z $PREFIX ]]; then
        [[ $(id -u) -eq 0 ]] || { echo "Run install.sh as root (sudo)." >&2; return 1; }
        grep -qx 'VERSION_ID="12"' /etc/os-release \
            || { echo "install.sh is made for Debian 12." >&2; return 1; }
    fi
    [[ -n $HOST ]] || HOST=$(ask "Host name of this server (e.g. amanat.example.org)")
    [[ $HOST =~ ^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$ ]] \
        || { echo "The host name '$HOST' is not a DNS name (lower case, with a dot)." >&2; return 1; }
    [[ $ROLE =~ ^(all|web|worker)$ ]] || { echo "--role is all, web or worker." >&2; return 1; }
    [[ $ROLE != all || -n $ORG_NAME ]] || ORG_NAME=$(ask "Name of the organisation")
    if [[ -n $OWN_CERT || -n $OWN_KEY ]]; then
        [[ -r $OWN_CERT && -r $OWN_KEY ]] \
            || { echo "--cert and --key must both name readable files." >&2; return 1; }
    fi
    export AMANAT_HOST=$HOST
    say "  host $HOST, organisation ${ORG_NAME:-as on the first machine}, role $ROLE, code in $AMANAT_ROOT"
}

step_packages() {
    local wanted=("${PACKAGES[@]}")
    [[ $ROLE == all ]] || wanted=("${NODE_PACKAGES[@]}")
    sys apt-get update -qq
    sys env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${wanted[@]}"
}

step_folders() {
    if [[ -z $PREFIX ]] && ! id "$AMANAT_USER" >/dev/null 2>&1; then
        adduser --system --group --home "$AMANAT_DATA" --no-create-home \
            --shell /usr/sbin/nologin "$AMANAT_USER"
        CHANGED=$((CHANGED + 1))
    fi
    folder 0700 root:root /etc/amanat
    folder 0750 "$AMANAT_USER:$AMANAT_USER" "$AMANAT_DATA"
    folder 0700 "$AMANAT_USER:$AMANAT_USER" "$AMANAT_DATA/sealed"
    folder 0755 "$AMANAT_USER:$AMANAT_USER" "$AMANAT_DATA/static"
    folder 0750 root:adm /var/log/amanat
    folder 0755 root:root "$AMANAT_ACME_ROOT"
    local log
    for log in web worker beat; do
        [[ -f $PREFIX/var/log/amanat/$log.log ]] || put 0640 root:adm "/var/log/amanat/$log.log" </dev/null
    done
}

step_onion() {
    render "$DEPLOY/tor/torrc.in" | put 0644 root:root /etc/tor/torrc
    # The staff onion (deploy/README.md), once chosen, stays on in every later run.
    [[ -f $PREFIX$STAFF_TORRC ]] && STAFF=yes
    if [[ -n $STAFF ]]; then
        folder 0755 root:root /etc/tor/torrc.d
        render "$DEPLOY/tor/torrc-staff.in" | put 0644 root:root "$STAFF_TORRC"
    fi
    sys systemctl enable --now tor
    sys systemctl reload-or-restart tor
    AMANAT_ONION_HOST=$(onion_name "$ONION_DIR")
    say "  onion address $AMANAT_ONION_HOST"
    AMANAT_ALLOWED_HOSTS=$HOST,$AMANAT_ONION_HOST
    # Tor Browser sends an onion's origin as http:// (nginx tells Amanat it is secure).
    AMANAT_CSRF_ORIGINS=https://$HOST,http://$AMANAT_ONION_HOST
    if [[ -n $STAFF ]]; then
        AMANAT_STAFF_ONION_HOST=$(onion_name "$STAFF_ONION_DIR")
        say "  staff onion address $AMANAT_STAFF_ONION_HOST"
        AMANAT_ALLOWED_HOSTS+=,$AMANAT_STAFF_ONION_HOST
        AMANAT_CSRF_ORIGINS+=,http://$AMANAT_STAFF_ONION_HOST
        export AMANAT_STAFF_ONION_HOST
    fi
    export AMANAT_ONION_HOST AMANAT_ALLOWED_HOSTS AMANAT_CSRF_ORIGINS
}

# The .onion name Tor writes once the service in DIR is up (a minute at most).
onion_name() {
    local file=$PREFIX$1/hostname waited=0 name
    while [[ -z $PREFIX && ! -s $file && $waited -lt 60 ]]; do
        sleep 1
        waited=$((waited + 1))
    done
    [[ -s $file ]] || { echo "Tor has not written $1/hostname." >&2; return 1; }
    name=$(tr -d ' \n' <"$file")
    [[ $name =~ ^[a-z2-7]{56}\.onion$ ]] || { echo "$1/hostname holds no v3 onion name." >&2; return 1; }
    printf '%s' "$name"
}

# The secrets are made once: a value already in the file is kept, byte for byte.
step_secrets() {
    local name
    if [[ $ROLE != all ]]; then
        # Every machine shares the first one's secrets: never made anew here.
        [[ -n $(value_in RECEIPT_PEPPER "$AMANAT_ENV_FILE") ]] || {
            echo "--role $ROLE: copy $AMANAT_ENV_FILE from the first machine here first (root, 0600)." >&2
            return 1
        }
        # The names the first machine's onion step found.
        AMANAT_ALLOWED_HOSTS=$(value_in ALLOWED_HOSTS "$AMANAT_ENV_FILE")
        AMANAT_CSRF_ORIGINS=$(value_in CSRF_TRUSTED_ORIGINS "$AMANAT_ENV_FILE")
        export AMANAT_ALLOWED_HOSTS AMANAT_CSRF_ORIGINS
        AMANAT_ONION_HOST=$(tr ',' '\n' <<<"$AMANAT_ALLOWED_HOSTS" | grep -m 1 '\.onion$' || true)
        export AMANAT_ONION_HOST=${AMANAT_ONION_HOST:-none}
    fi
    for name in SECRET_KEY RECEIPT_PEPPER RATELIMIT_SECRET; do
        export "$name=$(value_in "$name" "$AMANAT_ENV_FILE")"
        [[ -n ${!name} ]] || export "$name=$(new_secret)"
    done
    AMANAT_DB_PASSWORD=$(value_in DATABASE_URL "$AMANAT_ENV_FILE" | sed -n 's|^postgres://amanat:\([0-9a-f]*\)@.*|\1|p')
    AMANAT_REDIS_PASSWORD=$(value_in REDIS_URL "$AMANAT_ENV_FILE" | sed -n 's|^redis://:\([0-9a-f]*\)@.*|\1|p')
    AMANAT_DB_OWNER_PASSWORD=$(value_in DATABASE_URL "$MIGRATE_ENV" | sed -n 's|^postgres://amanat_owner:\([0-9a-f]*\)@.*|\1|p')
    # The database and Redis may be on another machine (docs/SCALING.md): their addresses
    # are kept like the passwords.
    [[ -n $AMANAT_DB_ADDRESS ]] || AMANAT_DB_ADDRESS=$(value_in DATABASE_URL "$AMANAT_ENV_FILE" | sed -n 's|^postgres://amanat:[0-9a-f]*@\(.*\)/amanat$|\1|p')
    [[ -n $AMANAT_REDIS_ADDRESS ]] || AMANAT_REDIS_ADDRESS=$(value_in REDIS_URL "$AMANAT_ENV_FILE" | sed -n 's|^redis://:[0-9a-f]*@\(.*\)/0$|\1|p')
    export AMANAT_DB_ADDRESS=${AMANAT_DB_ADDRESS:-127.0.0.1:5432}
    export AMANAT_REDIS_ADDRESS=${AMANAT_REDIS_ADDRESS:-127.0.0.1:6379}
    keep_setting AMANAT_WEB_BIND 127.0.0.1:8000
    keep_setting AMANAT_TRUSTED_PROXIES 127.0.0.1,::1
    [[ -n $AMANAT_DB_PASSWORD ]] || AMANAT_DB_PASSWORD=$(new_secret)
    [[ -n $AMANAT_REDIS_PASSWORD ]] || AMANAT_REDIS_PASSWORD=$(new_secret)
    [[ -n $AMANAT_DB_OWNER_PASSWORD ]] || AMANAT_DB_OWNER_PASSWORD=$(new_secret)
    export AMANAT_DB_PASSWORD AMANAT_REDIS_PASSWORD AMANAT_DB_OWNER_PASSWORD
    { render "$DEPLOY/amanat.env.in"; optional_settings; } | put 0600 root:root "$AMANAT_ENV_FILE"
    [[ $ROLE == all ]] || return 0  # migrations run on the first machine only
    printf '%s\n' "# The database's owner role, for migrations only (deploy/install.sh)." \
        "DATABASE_URL=postgres://amanat_owner:$AMANAT_DB_OWNER_PASSWORD@$AMANAT_DB_ADDRESS/amanat" \
        | put 0600 root:root "$MIGRATE_ENV"
}

# What identifies the code: its git commit and local changes, or its files' contents.
code_revision() {
    if git -C "$AMANAT_ROOT" rev-parse --verify -q HEAD 2>/dev/null; then
        git -C "$AMANAT_ROOT" status --porcelain --untracked-files=no | sha256sum
    else
        find "$AMANAT_ROOT" \( -name .git -o -name .venv -o -name data -o -name node_modules \
            -o -name __pycache__ -o -name '.*_cache' \) -prune -o -type f -print0 \
            | sort -z | xargs -0 sha256sum | sha256sum
    fi
}

step_venv() {
    # A new version of the code counts as a change: the services restart on it.
    code_revision | put 0644 root:root /etc/amanat/code-revision
    local stamp=$AMANAT_VENV/.amanat-installed want
    want=$(sha256sum "$AMANAT_ROOT/pyproject.toml" | cut -d' ' -f1)
    if [[ -f $PREFIX$stamp && $(cat "$PREFIX$stamp") == "$want" ]]; then
        say "  dependencies already installed for this pyproject.toml"
        return 0
    fi
    [[ -x $AMANAT_VENV/bin/python ]] || sys python3.11 -m venv "$AMANAT_VENV"
    sys "$AMANAT_VENV/bin/pip" install --quiet --upgrade pip
    # Not editable and without [dev]: only what production needs.
    sys "$AMANAT_VENV/bin/pip" install --quiet "$AMANAT_ROOT"
    printf '%s\n' "$want" | put 0644 root:root "$stamp"
}

step_database() {
    put 0644 root:root "$PG_ETC/conf.d/amanat.conf" <"$DEPLOY/postgresql/amanat.conf"
    put 0640 postgres:postgres "$PG_ETC/pg_hba.conf" <"$DEPLOY/postgresql/pg_hba.conf"
    sys systemctl enable --now postgresql
    sys systemctl reload postgresql
    roles_sql
}

# The roles, their passwords and grants; idempotent, and run again after each migration.
# The passwords travel on psql's standard input, never on a command line.
roles_sql() {
    if [[ -n $PREFIX ]]; then
        say "  would run as postgres: psql < deploy/postgresql/roles.sql"
        return 0
    fi
    {
        printf "\\\\set owner_password '%s'\n\\\\set app_password '%s'\n" \
            "$AMANAT_DB_OWNER_PASSWORD" "$AMANAT_DB_PASSWORD"
        cat "$DEPLOY/postgresql/roles.sql"
    } | (cd / && runuser -u postgres -- psql -q -X -d postgres >/dev/null)
}

step_redis() {
    local before=$CHANGED
    render "$DEPLOY/redis/redis.conf.in" | put 0640 root:redis /etc/redis/redis.conf
    put 0644 root:root /etc/systemd/system/redis-server.service.d/amanat.conf \
        <"$DEPLOY/redis/redis-server.service.d/amanat.conf"
    sys systemctl daemon-reload
    sys systemctl enable redis-server
    # A restart empties Redis (queued tasks, counters): only for a new configuration.
    if [[ $CHANGED -gt $before ]]; then
        sys systemctl restart redis-server
    else
        sys systemctl start redis-server
    fi
}

step_django() {
    as_amanat "$AMANAT_VENV/bin/python" manage.py collectstatic --no-input --verbosity 0
    if [[ $ROLE == all ]]; then
        OVERRIDE_ENV=$MIGRATE_ENV as_amanat "$AMANAT_VENV/bin/python" manage.py migrate --no-input --verbosity 0
        roles_sql
    fi
    as_amanat "$AMANAT_VENV/bin/python" manage.py check --deploy --fail-level WARNING
}

# Exit status 0 when the organisation exists, 3 when not (anything else: an error).
ORGANISATION_EXISTS='from accounts.models import Organisation
raise SystemExit(0 if Organisation.objects.exists() else 3)'

# The shares go to the terminal only: this script keeps no log and no copy.
step_bootstrap() {
    local found=3
    if [[ -z $PREFIX ]]; then
        found=0
        as_amanat "$AMANAT_VENV/bin/python" manage.py shell --verbosity 0 -c "$ORGANISATION_EXISTS" \
            || found=$?
    fi
    case $found in
        0) say "  the organisation exists already: bootstrap is not run again"; return 0 ;;
        3) ;;
        *) echo "Could not ask the database whether the organisation exists." >&2; return 1 ;;
    esac
    [[ -n $COORDINATOR ]] || COORDINATOR=$(ask "Login of the first coordinator")
    local args=(manage.py bootstrap --org-name "$ORG_NAME" --username "$COORDINATOR")
    say ""
    say "  The recovery shares are printed ONCE below. Write each on paper for a different"
    say "  trustee now; Amanat keeps no copy and cannot show them again."
    if [[ -n $PASSWORD_FILE ]]; then
        # The file is root's. The amanat user gets it on a pipe of its own (a root-owned
        # descriptor could not be opened again as /dev/stdin), never in a file or argument.
        as_amanat bash -c 'cat | "$@"' bootstrap \
            "$AMANAT_VENV/bin/python" "${args[@]}" --password-file /dev/stdin <"$PASSWORD_FILE"
    else
        as_amanat "$AMANAT_VENV/bin/python" "${args[@]}"
    fi
}

step_nginx() {
    if [[ ! -s $PREFIX$AMANAT_CLIENT_KEY_CONF ]]; then
        # The key that turns a visitor's address into a token (the address never reaches
        # the app); made once, root-only (nginx's master reads it, its workers never).
        # shellcheck disable=SC2016 # an nginx variable, not a shell one
        printf 'set $amanat_client_key "%s";\n' "$(new_secret)" \
            | put 0600 root:root "$AMANAT_CLIENT_KEY_CONF"
    fi
    if [[ -n $OWN_CERT ]]; then
        export AMANAT_TLS_CERT=$OWN_CERT AMANAT_TLS_KEY=$OWN_KEY
    elif [[ -f $PREFIX/etc/letsencrypt/live/$HOST/fullchain.pem ]]; then
        export AMANAT_TLS_CERT=/etc/letsencrypt/live/$HOST/fullchain.pem
        export AMANAT_TLS_KEY=/etc/letsencrypt/live/$HOST/privkey.pem
    else
        # Until Let's Encrypt has answered (next step): Debian's self-signed certificate.
        export AMANAT_TLS_CERT=$SNAKEOIL_CERT AMANAT_TLS_KEY=$SNAKEOIL_KEY
    fi
    # The web nodes: given, else the upstream block of the site already installed (an
    # administrator may list other machines' nodes there), else this machine's gunicorn.
    local site=$PREFIX/etc/nginx/sites-enabled/amanat.conf
    if [[ -z $AMANAT_UPSTREAMS && -f $site ]]; then
        AMANAT_UPSTREAMS=$(sed -n '/^upstream amanat {$/,/^}$/p' "$site" | sed '1d;$d;s/^ *//' \
            | awk 'NR > 1 { printf "\n    " } { printf "%s", $0 }')
    fi
    export AMANAT_UPSTREAMS=${AMANAT_UPSTREAMS:-server $AMANAT_WEB_BIND;}
    put 0644 root:root /etc/nginx/nginx.conf <"$DEPLOY/nginx/nginx.conf"
    render "$DEPLOY/nginx/amanat.conf.in" | put 0644 root:root /etc/nginx/sites-enabled/amanat.conf
    put 0644 root:root /etc/nginx/amanat-client.js <"$DEPLOY/nginx/client.js"
    if [[ -n $STAFF ]]; then
        render "$DEPLOY/nginx/amanat-staff.conf.in" \
            | put 0644 root:root /etc/nginx/sites-enabled/amanat-staff.conf
        put 0644 root:root /etc/nginx/amanat-staff-only.conf <"$DEPLOY/nginx/amanat-staff-only.conf"
    fi
    sys nginx -t -q
    sys systemctl enable nginx
    sys systemctl reload-or-restart nginx
}

step_tls() {
    if [[ -n $OWN_CERT ]]; then
        say "  using the certificate given ($OWN_CERT); renewing it is yours to do"
        return 0
    fi
    if [[ -f $PREFIX/etc/letsencrypt/live/$HOST/fullchain.pem ]]; then
        say "  a certificate for $HOST exists; certbot.timer renews it"
    else
        local contact=(--register-unsafely-without-email)
        [[ -n $EMAIL ]] && contact=(--email "$EMAIL")
        sys certbot certonly --webroot -w "$AMANAT_ACME_ROOT" -d "$HOST" --non-interactive \
            --agree-tos "${contact[@]}" --deploy-hook "systemctl reload nginx"
        [[ -n $PREFIX ]] || step_nginx
    fi
}

step_services() {
    local unit
    # The addresses the services may reach: given (--allow-net), else as installed before.
    for unit in amanat-web amanat-worker; do
        local installed=$PREFIX/etc/systemd/system/$unit.service
        if [[ -z $AMANAT_IP_ALLOW && -f $installed ]]; then
            AMANAT_IP_ALLOW=$(sed -n 's/^IPAddressAllow=//p' "$installed" | head -n 1)
        fi
    done
    export AMANAT_IP_ALLOW=${AMANAT_IP_ALLOW:-localhost}
    local units
    case $ROLE in
        web) units=(amanat-web) ;;
        worker) units=(amanat-worker amanat-beat) ;;
        *) units=(amanat-web amanat-worker amanat-beat) ;;
    esac
    for unit in "${units[@]}"; do
        render "$DEPLOY/systemd/$unit.service.in" | put 0644 root:root "/etc/systemd/system/$unit.service"
    done
    put 0644 root:root /etc/systemd/system/amanat.target <"$DEPLOY/systemd/amanat.target"
    render "$DEPLOY/amanat-manage.in" | put 0700 root:root /usr/local/sbin/amanat-manage
    put 0644 root:root /etc/logrotate.d/amanat <"$DEPLOY/logrotate/amanat"
    put 0644 root:root /etc/apt/apt.conf.d/20auto-upgrades <"$DEPLOY/apt/20auto-upgrades"
    put 0644 root:root /etc/apt/apt.conf.d/52amanat-unattended-upgrades \
        <"$DEPLOY/apt/52amanat-unattended-upgrades"
    if [[ $BEAT == yes || ($BEAT == default && $ROLE == all) ]]; then
        printf '%s\n' "Beat runs on this machine only (deploy/systemd/amanat-beat.service.in)." \
            | put 0644 root:root "$BEAT_MARKER"
    fi
    sys systemctl daemon-reload
    sys systemctl enable amanat.target "${units[@]}"
    # Restarted only when something changed, now or in an earlier run that stopped before
    # this step; otherwise only started (nothing happens to running services).
    if [[ $CHANGED -gt 0 || -e $PREFIX$RESTART_MARKER ]]; then
        sys systemctl restart amanat.target
        rm -f "$PREFIX$RESTART_MARKER"
    else
        sys systemctl start amanat.target
    fi
    sys systemctl enable --now unattended-upgrades apt-daily.timer apt-daily-upgrade.timer
}

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
