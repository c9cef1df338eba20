#!/usr/bin/env bash
# Checks Amanat's edge (nginx and Tor) without a real server: renders the templates with
# test values into a temporary folder and asks Debian's nginx (`nginx -t`) and tor
# (`tor --verify-config`) whether they would run them; shellcheck on the scripts.
# Nothing under /etc/nginx, /etc/tor or /var is written.
#
#   deploy/check-edge.sh                  the whole check (deploy/check.sh calls it)
#   deploy/check-edge.sh render-nginx DIR renders nginx.conf and the site into DIR from the
#                                         AMANAT_* environment, with nginx.conf's pid, log
#                                         and temporary paths moved into DIR (the tests'
#                                         nginx runs from there: nginx -p DIR -c DIR/nginx.conf)
#   deploy/check-edge.sh render-tor DIR   the same for torrc (DataDirectory in DIR)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
render="$here/render.sh"

need() {
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "$1 is not installed: \`make deploy-tools\` (part of \`make test\`) installs it" >&2
        exit 1
    fi
}

# nginx.conf as installed, with only its absolute paths moved into DIR.
render_nginx() {
    local dir=$1
    mkdir -p "$dir/sites-enabled" "$dir/logs" "$dir/temp"
    # The master reads everything here; workers (www-data when run as root) only pass
    # through to their temporary folders, which the master creates for them.
    chmod 0711 "$dir" "$dir/temp"
    sed -e "s#/run/nginx.pid#$dir/nginx.pid#" \
        -e "s#/var/log/nginx/#$dir/logs/#" \
        -e "s#/run/amanatedge/#$dir/temp/#" \
        "$here/nginx/nginx.conf" >"$dir/nginx.conf"
    "$render" "$here/nginx/amanat.conf.in" >"$dir/sites-enabled/amanat.conf"
    "$render" "$here/nginx/amanat-pages.conf.in" >"$dir/amanat-pages.conf"
    cp "$here/nginx/client.js" "$dir/amanat-client.js"
    cp /etc/nginx/mime.types "$dir/mime.types"
    ln -sfn /usr/lib/nginx/modules "$dir/modules"
    if [[ -n ${AMANAT_STAFF_ONION_LISTEN:-} ]]; then
        "$render" "$here/nginx/amanat-staff.conf.in" >"$dir/sites-enabled/amanat-staff.conf"
        cp "$here/nginx/amanat-staff-only.conf" "$dir/amanat-staff-only.conf"
    fi
}

render_tor() {
    local dir=$1
    mkdir -p "$dir/tor"
    chmod 0700 "$dir/tor"
    "$render" "$here/tor/torrc.in" |
        sed -e "s#/var/lib/tor#$dir/tor#g" -e "s#/etc/tor/torrc.d#$dir/torrc.d#" >"$dir/torrc"
    if [[ -n ${AMANAT_STAFF_ONION_LISTEN:-} ]]; then
        mkdir -p "$dir/torrc.d"
        "$render" "$here/tor/torrc-staff.in" |
            sed -e "s#/var/lib/tor#$dir/tor#g" >"$dir/torrc.d/amanat-staff.conf"
    fi
}

check() {
    need nginx
    need tor
    need shellcheck
    need openssl
    if [[ ! -e /usr/lib/nginx/modules/ngx_http_js_module.so ]]; then
        echo "nginx's JavaScript module is missing: \`make deploy-tools\` installs it" >&2
        exit 1
    fi
    local work
    work=$(mktemp -d)
    # shellcheck disable=SC2064  # expand now: the folder is known now
    trap "rm -rf '$work'" EXIT

    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
        -subj /CN=amanat.test -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
    # shellcheck disable=SC2016  # an nginx variable, written as it is
    (umask 077 && printf 'set $amanat_client_key "%s";\n' "$(openssl rand -hex 32)" >"$work/client-key.conf")

    export AMANAT_HOST=amanat.test
    export AMANAT_ONION_HOST=abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion
    export AMANAT_TLS_CERT=$work/tls.crt AMANAT_TLS_KEY=$work/tls.key
    export AMANAT_HTTPS_LISTEN=44300 AMANAT_HTTP_LISTEN=8000
    export AMANAT_ONION_LISTEN=127.0.0.1:18080
    export AMANAT_UPSTREAMS="server 127.0.0.1:8000;"
    export AMANAT_CLIENT_KEY_CONF=$work/client-key.conf
    export AMANAT_EDGE_PAGES=$work/pages
    export AMANAT_STAFF_ONION_HOST=staffstaffstaffstaffstaffstaffstaffstaffstaffstaffstaf.onion
    export AMANAT_STAFF_ONION_LISTEN=127.0.0.1:18081

    render_nginx "$work/nginx"
    nginx -q -t -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/logs/early.log"
    echo "nginx -t: the rendered nginx.conf and site are valid"

    render_tor "$work"
    tor --verify-config --defaults-torrc /dev/null -f "$work/torrc" --quiet
    echo "tor --verify-config: the rendered torrc (public and staff services) is valid"

    shellcheck -x "$here"/*.sh "$here"/install/*.sh
    echo "shellcheck: deploy/*.sh and deploy/install/*.sh clean"
}

case ${1:-check} in
    check) check ;;
    render-nginx) render_nginx "${2:?usage: $0 render-nginx DIR}" ;;
    render-tor) render_tor "${2:?usage: $0 render-tor DIR}" ;;
    *)
        echo "usage: $0 [check | render-nginx DIR | render-tor DIR]" >&2
        exit 2
        ;;
esac
