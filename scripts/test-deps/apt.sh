#!/usr/bin/env bash
# Debian packages for the real-server tests: Prometheus, Pushgateway, Alertmanager;
# and the openssl CLI, which generates the RSA keys of the GCP service-account tests.
# Idempotent; needs root. Debian does not start these services (policy-rc.d); the
# tests start their own instances on 127.0.0.1 ephemeral ports.
set -euo pipefail
need=()
for bin in prometheus prometheus-pushgateway prometheus-alertmanager promtool openssl; do
  command -v "$bin" >/dev/null 2>&1 || need+=("$bin")
done
[ ${#need[@]} -eq 0 ] && { echo "apt: already installed"; exit 0; }
if [ "$(id -u)" != 0 ]; then echo "apt: not root, skipping (${need[*]} missing)"; exit 0; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends prometheus prometheus-pushgateway prometheus-alertmanager openssl >/dev/null
# Packages may have started daemons on their default ports on some systems: stop them.
for svc in prometheus prometheus-pushgateway prometheus-alertmanager prometheus-node-exporter; do
  pkill -x "$svc" 2>/dev/null || true
done
echo "apt: installed"
