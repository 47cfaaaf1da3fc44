#!/usr/bin/env bash
# Installs what the Prometheus and HTTP-ingest integration tests use:
#   Debian: prometheus (prometheus, promtool) and prometheus-pushgateway
#   PyPI:   check-jsonschema, in a venv at ${TELEMETRA_VENV:-/tmp/telemetra-venv}
# Idempotent: does nothing when everything is already there. Meant for CI (as root).
# The tests start their own daemons on 127.0.0.1 ephemeral ports; this script makes sure the
# packages' postinst does not leave services running on the default ports (9090/9091).
set -euo pipefail

VENV="${TELEMETRA_VENV:-/tmp/telemetra-venv}"

need_apt=0
for bin in /usr/bin/prometheus /usr/bin/promtool /usr/bin/prometheus-pushgateway; do
    [ -x "$bin" ] || need_apt=1
done

if [ "$need_apt" = 1 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "prometheus.sh: apt-get needs root; skipping the Debian packages" >&2
    else
        # Forbid service starts during the install (Debian's invoke-rc.d honours this).
        created_policy=0
        if [ ! -e /usr/sbin/policy-rc.d ]; then
            printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
            chmod +x /usr/sbin/policy-rc.d
            created_policy=1
            trap 'rm -f /usr/sbin/policy-rc.d' EXIT
        fi
        export DEBIAN_FRONTEND=noninteractive
        apt-get update
        apt-get install -y --no-install-recommends prometheus prometheus-pushgateway
        if [ "$created_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
        # Belt and braces: stop the packaged services if an init system started them anyway.
        if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
            systemctl disable --now prometheus prometheus-pushgateway prometheus-node-exporter 2>/dev/null || true
        fi
        for svc in prometheus prometheus-pushgateway prometheus-node-exporter; do
            if [ -x "/etc/init.d/$svc" ]; then "/etc/init.d/$svc" stop >/dev/null 2>&1 || true; fi
        done
    fi
fi

if [ ! -x "$VENV/bin/check-jsonschema" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet check-jsonschema
fi

/usr/bin/promtool --version 2>&1 | head -n 1 || true
/usr/bin/prometheus-pushgateway --version 2>&1 | head -n 1 || true
"$VENV/bin/check-jsonschema" --version || true
