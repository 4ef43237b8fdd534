#!/bin/sh
# deploy/systemd's units as systemd reads them (systemd-analyze verify), with /bin/true standing
# for /usr/bin/boai and the environment file optional: this machine has neither.
set -eu
units=$(dirname "$0")/../../deploy/systemd
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for unit in boai-web boai-studio boai-migrate; do
  sed -e 's|/usr/bin/boai|/bin/true|' -e 's|EnvironmentFile=/|EnvironmentFile=-/|' \
    "$units/$unit.service" >"$work/$unit.service"
done
cd "$work"
out=$(systemd-analyze verify ./boai-web.service ./boai-studio.service ./boai-migrate.service 2>&1 ||
  true)
if [ -n "$out" ]; then
  echo "$out"
  exit 1
fi
echo "check_units: the three units verify"
