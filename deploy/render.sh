#!/usr/bin/env bash
# Render a deploy template: every @@NAME@@ becomes the value of the environment variable
# NAME. Refuses (exit 2, naming the variables) when a placeholder has no value, so a
# half-filled configuration is never written.
#   AMANAT_HOST=amanat.example.org deploy/render.sh deploy/nginx/amanat.conf.in > amanat.conf
set -euo pipefail

if [[ $# -ne 1 || ! -r $1 ]]; then
    echo "usage: $0 TEMPLATE (placeholders @@NAME@@ are taken from the environment)" >&2
    exit 2
fi

awk '
    {
        line = $0
        out = ""
        while (match(line, /@@[A-Z][A-Z0-9_]*@@/)) {
            name = substr(line, RSTART + 2, RLENGTH - 4)
            if (!(name in ENVIRON) || ENVIRON[name] == "") {
                missing[name] = 1
                value = ""
            } else {
                value = ENVIRON[name]
            }
            out = out substr(line, 1, RSTART - 1) value
            line = substr(line, RSTART + RLENGTH)
        }
        lines[NR] = out line
    }
    END {
        n = 0
        for (name in missing) { list = list " " name; n++ }
        if (n) { print FILENAME ": no value for" list > "/dev/stderr"; exit 2 }
        for (i = 1; i <= NR; i++) print lines[i]
    }
' "$1"
