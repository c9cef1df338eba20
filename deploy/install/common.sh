# shellcheck shell=bash
# The helpers of deploy/install.sh, which sources this file: the failure report, the one
# door for commands and files (sys, put, folder, own; --root turns them into prints or
# writes under the root), the settings file's values, and the questions. They read
# install.sh's settings (PREFIX, CHANGED, STEP, ...) and count their changes in CHANGED.

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
    local status=$? line=$1 command=$2 file=${3##*/}
    # Inside $(...) only stop: the main shell reports, once.
    [[ $BASHPID == "$$" ]] || exit "$status"
    trap - ERR
    {
        echo
        echo "install.sh: FAILED at step '$STEP' ($file line $line: $command, exit $status)."
        echo "  $(hint "$STEP")"
        echo "  Nothing after this step was done. Run install.sh again once it is fixed:"
        echo "  the steps already done are checked and kept, not done twice."
    } >&2
    exit 1
}

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
    no_link "$path"
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
    no_link "$path"
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

# chmod and chown follow a link: the amanat user, owner of $AMANAT_DATA, could otherwise
# swap a folder there for a link to /etc and have root hand it the target.
no_link() {
    [[ ! -L $1 ]] || { echo "$1 is a symbolic link: refusing to change it (or its target)." >&2; return 1; }
}

# Ownership needs the real users: not set under --root.
own() {
    [[ -n $PREFIX ]] && return 0
    if [[ $(stat -c %U:%G "$2") != "$1" ]]; then
        chown -h "$1" "$2"
        say "  owner $1 on $2"
        CHANGED=$((CHANGED + 1))
    fi
}

render() { "$DEPLOY/render.sh" "$1"; }

# Install TEMPLATE, rendered, as FILE with MODE and OWNER. Rendered first: in
# `render | put`, put installed render's empty output before its failure was seen.
put_rendered() {
    local mode=$1 owner=$2 file=$3 text
    text=$(render "$4")
    printf '%s\n' "$text" | put "$mode" "$owner" "$file"
}

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
# command line, where other users could read it in /proc). RUN_AS=root runs it as root:
# every process of the amanat user can read another's environment in /proc, so the
# owner role's password (migrations) is never in one. Nor in any other: unset below.
as_amanat() {
    if [[ -n $PREFIX ]]; then
        say "  would run as $AMANAT_USER:$(printf ' %q' "$@")"
        return 0
    fi
    (
        unset AMANAT_DB_OWNER_PASSWORD
        load_settings "$AMANAT_ENV_FILE"
        [[ -z ${OVERRIDE_ENV:-} ]] || load_settings "$OVERRIDE_ENV"
        # shellcheck disable=SC2164 # install.sh runs with set -e: a failed cd stops here
        cd "$AMANAT_ROOT"
        export PYTHONPATH=$AMANAT_ROOT
        runuser -u "${RUN_AS:-$AMANAT_USER}" -- "$@"
    )
}

# Export a settings file's NAME=value lines as systemd reads them: each value literally.
# Sourced by bash, a `$(...)` or backquote in a value (a password) would run as root.
load_settings() {
    local line
    while IFS= read -r line || [[ -n $line ]]; do
        if [[ $line =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; then export "${line?}"; fi
    done <"$1"
}

# A value that goes into a unit or the settings file as one line: a line break in it
# would add a line of its own (an ExecStartPre=+ that runs as root, a second SECRET_KEY).
one_line() {
    local name
    for name in "$@"; do
        [[ ${!name} != *[$'\n\r']* ]] \
            || { echo "$name holds a line break: give it on one line." >&2; return 1; }
    done
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
