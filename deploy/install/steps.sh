# shellcheck shell=bash
# The steps of deploy/install.sh, which sources this file: step_NAME for each name in its
# STEPS, run in that order, with their own small helpers. Each is idempotent (deploy/README.md).

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
    [[ -z $AMANAT_EDGE_MEMORY ]] || edge_memory_ok "$AMANAT_EDGE_MEMORY" \
        || { echo "AMANAT_EDGE_MEMORY is 5% to 50% of the memory, or a size of 64M or more (2G)." >&2; return 1; }
    one_line AMANAT_WEB_BIND AMANAT_TRUSTED_PROXIES AMANAT_IP_ALLOW AMANAT_DB_ADDRESS \
        AMANAT_REDIS_ADDRESS OWN_CERT OWN_KEY
    [[ $ROLE != all || -n $ORG_NAME ]] || ORG_NAME=$(ask "Name of the organisation")
    if [[ -n $OWN_CERT || -n $OWN_KEY ]]; then
        [[ -r $OWN_CERT && -r $OWN_KEY ]] \
            || { echo "--cert and --key must both name readable files." >&2; return 1; }
    fi
    export AMANAT_HOST=$HOST
    # shellcheck disable=SC2153 # AMANAT_ROOT is set by install.sh, like every AMANAT_ path
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
    put_rendered 0644 root:root /etc/tor/torrc "$DEPLOY/tor/torrc.in"
    # The staff onion (deploy/README.md), once chosen, stays on in every later run.
    [[ -f $PREFIX$STAFF_TORRC ]] && STAFF=yes
    if [[ -n $STAFF ]]; then
        folder 0755 root:root /etc/tor/torrc.d
        put_rendered 0644 root:root "$STAFF_TORRC" "$DEPLOY/tor/torrc-staff.in"
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
    # An installed server whose settings lost the pepper would get a new one, and no receipt
    # given since the start would find its report again: refuse, and say where it is kept.
    if [[ -n $(value_in DATABASE_URL "$AMANAT_ENV_FILE") && -z $(value_in RECEIPT_PEPPER "$AMANAT_ENV_FILE") ]]; then
        echo "$AMANAT_ENV_FILE has no RECEIPT_PEPPER, but this server was installed before." >&2
        echo "Put back the RECEIPT_PEPPER line from your backup of that file (docs/DEPLOY.md, section 8):" >&2
        echo "a new pepper would leave every receipt already given unable to find its report." >&2
        return 1
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
    # Rendered first: a template that cannot be filled never empties the secrets' file.
    local settings
    settings=$(render "$DEPLOY/amanat.env.in")
    { printf '%s\n' "$settings"; optional_settings; } | put 0600 root:root "$AMANAT_ENV_FILE"
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
    put_rendered 0640 root:redis /etc/redis/redis.conf "$DEPLOY/redis/redis.conf.in"
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
    # The translations: without them every page is in English (git keeps only the
    # sources). As root, who owns the code.
    RUN_AS=root as_amanat "$AMANAT_VENV/bin/python" -m config.compile_catalogs --all
    as_amanat "$AMANAT_VENV/bin/python" manage.py collectstatic --no-input --verbosity 0
    if [[ $ROLE == all ]]; then
        # As root: the amanat user could read the owner's password in its own process.
        RUN_AS=root OVERRIDE_ENV=$MIGRATE_ENV as_amanat "$AMANAT_VENV/bin/python" manage.py migrate \
            --no-input --verbosity 0
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
    [[ -z $PASSWORD_FILE || -r $PASSWORD_FILE ]] \
        || { echo "--password-file $PASSWORD_FILE cannot be read." >&2; return 1; }
    local args=(manage.py bootstrap --org-name "$ORG_NAME" --username "$COORDINATOR")
    say ""
    say "  The recovery shares are printed ONCE below. Write each on paper for a different"
    say "  trustee now; Amanat keeps no copy and cannot show them again."
    # As root: a process of the amanat user is open to every other one (its pipes in
    # /proc/PID/fd, its memory to a debugger), and this one holds the shares, the
    # coordinator's password and the organisation's key. The password file is root's.
    [[ -z $PASSWORD_FILE ]] || args+=(--password-file "$PASSWORD_FILE")
    RUN_AS=root as_amanat "$AMANAT_VENV/bin/python" "${args[@]}"
}

# The size of nginx's body memory (run-amanatedge.mount): 5% to 50% of the memory, or
# a size of 64M or more. Too small refuses every attachment; more than half starves
# PostgreSQL.
edge_memory_ok() {
    if [[ $1 =~ ^([1-9][0-9]?)%$ ]]; then
        ((BASH_REMATCH[1] >= 5 && BASH_REMATCH[1] <= 50))
    elif [[ $1 =~ ^([1-9][0-9]{0,5})M$ ]]; then
        ((BASH_REMATCH[1] >= 64))
    else
        [[ $1 =~ ^[1-9][0-9]{0,3}G$ ]]
    fi
}

# nginx's own error pages in every language (intake/edge_pages.py), from this version's
# catalogs. As root: only root writes under /etc/nginx.
edge_pages() {
    RUN_AS=root as_amanat "$AMANAT_VENV/bin/python" manage.py edge_pages "$AMANAT_EDGE_PAGES"
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
    put_rendered 0644 root:root /etc/nginx/sites-enabled/amanat.conf "$DEPLOY/nginx/amanat.conf.in"
    put 0644 root:root /etc/nginx/amanat-client.js <"$DEPLOY/nginx/client.js"
    put_rendered 0644 root:root /etc/nginx/amanat-pages.conf "$DEPLOY/nginx/amanat-pages.conf.in"
    edge_pages
    if [[ -n $STAFF ]]; then
        put_rendered 0644 root:root /etc/nginx/sites-enabled/amanat-staff.conf \
            "$DEPLOY/nginx/amanat-staff.conf.in"
        put 0644 root:root /etc/nginx/amanat-staff-only.conf <"$DEPLOY/nginx/amanat-staff-only.conf"
    fi
    # The capped memory nginx waits on bodies in, mounted before nginx needs it; a new
    # size takes effect at once (a remount keeps the bodies already there). Its size:
    # given, else as installed before, else a quarter of the memory.
    local mount=$PREFIX/etc/systemd/system/run-amanatedge.mount before=$CHANGED
    if [[ -z $AMANAT_EDGE_MEMORY && -f $mount ]]; then
        AMANAT_EDGE_MEMORY=$(sed -n 's/^Options=\(.*,\)\{0,1\}size=\([^,]*\).*/\2/p' "$mount" \
            | head -n 1 | sed 's/%%/%/g')
        edge_memory_ok "$AMANAT_EDGE_MEMORY" || {
            echo "$mount has size=$AMANAT_EDGE_MEMORY; give AMANAT_EDGE_MEMORY (25%, 2G)." >&2
            return 1
        }
    fi
    export AMANAT_EDGE_MEMORY=${AMANAT_EDGE_MEMORY:-25%}
    # systemd reads % in a unit as the start of a specifier: a share is written %%.
    export AMANAT_EDGE_MEMORY_UNIT=${AMANAT_EDGE_MEMORY//%/%%}
    put_rendered 0644 root:root /etc/systemd/system/run-amanatedge.mount \
        "$DEPLOY/systemd/run-amanatedge.mount.in"
    put 0644 root:root /etc/systemd/system/nginx.service.d/amanat.conf \
        <"$DEPLOY/systemd/nginx.service.d/amanat.conf"
    sys systemctl daemon-reload
    sys systemctl start run-amanatedge.mount
    # A smaller size cannot be set while more than it is in use: then at the next mount.
    [[ $CHANGED -eq $before ]] || sys systemctl reload run-amanatedge.mount \
        || say "  the new size of /run/amanatedge takes effect at the next reboot (it is in use)"
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
        put_rendered 0644 root:root "/etc/systemd/system/$unit.service" "$DEPLOY/systemd/$unit.service.in"
    done
    put 0644 root:root /etc/systemd/system/amanat.target <"$DEPLOY/systemd/amanat.target"
    put_rendered 0700 root:root /usr/local/sbin/amanat-manage "$DEPLOY/amanat-manage.in"
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
