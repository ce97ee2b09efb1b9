#!/usr/bin/env bash
# Installs the server binaries Vigie's integration and e2e tests start (test/servers/*) on Debian
# or Ubuntu. Safe to re-run: does nothing when every binary is already there.
# Installing never starts the daemons; the tests run their own, on loopback, with their own configs.
set -euo pipefail

# binary:package pairs; an absolute path is a file that must exist (a Python module is no binary
# on PATH). chromium is handled apart (Ubuntu ships it as a snap stub).
NEEDED=(
  influxd:influxdb
  snmpd:snmpd
  snmpget:snmp
  snmpbulkwalk:snmp
  snmpsimd:snmpsim
  sshd:openssh-server
  ssh-keygen:openssh-client
  haproxy:haproxy
  socat:socat
  openssl:openssl
  /usr/lib/python3/dist-packages/aiosmtpd/__init__.py:python3-aiosmtpd
  Xvfb:xvfb
)
CHROMIUM_BINARIES=(chromium chromium-browser google-chrome google-chrome-stable)
SNMPSIM_RECORDINGS=/usr/share/doc/snmpsim/examples/data

# sshd, snmpd and haproxy live in sbin, which is not on every user's PATH.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

. /etc/os-release 2>/dev/null || true
distro="${ID:-unknown}"

missing_packages=()
for pair in "${NEEDED[@]}"; do
  binary="${pair%%:*}" package="${pair#*:}"
  if [[ "$binary" == /* ]]; then
    found=""
    [[ -e "$binary" ]] && found="$binary"
  else
    found="$(command -v "$binary" 2>/dev/null || true)"
  fi
  if [[ -n "$found" ]]; then
    echo "ok       $binary ($found)"
  else
    echo "missing  $binary (package $package)"
    [[ " ${missing_packages[*]} " == *" $package "* ]] || missing_packages+=("$package")
  fi
done

chromium_found=""
for binary in "${CHROMIUM_BINARIES[@]}"; do
  if command -v "$binary" >/dev/null 2>&1; then chromium_found="$(command -v "$binary")"; break; fi
done
if [[ -n "$chromium_found" ]]; then
  echo "ok       chromium ($chromium_found)"
elif [[ "$distro" == "ubuntu" ]]; then
  echo "missing  chromium: NOT installed by this script on Ubuntu, where the 'chromium-browser'"
  echo "         package is only a stub for the snap. Install one yourself:"
  echo "           sudo snap install chromium     (then /snap/bin/chromium)"
  echo "         or Google Chrome from https://www.google.com/chrome/ (google-chrome)."
else
  echo "missing  chromium (package chromium)"
  missing_packages+=(chromium)
fi

# The snmpsim tests serve the devices recorded in the package's documentation directory.
check_recordings() {
  if command -v snmpsimd >/dev/null 2>&1 && [[ ! -d "$SNMPSIM_RECORDINGS" ]]; then
    echo "missing  $SNMPSIM_RECORDINGS (images that exclude /usr/share/doc drop it): remove the" >&2
    echo "         path-exclude in /etc/dpkg/dpkg.cfg.d/ and run: apt-get install --reinstall snmpsim" >&2
    exit 1
  fi
}

if ((${#missing_packages[@]} == 0)); then
  check_recordings
  echo "Every binary the tests need is installed: nothing to do."
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "This is not an apt-based system ($distro). Install these with your package manager:" >&2
  echo "  ${missing_packages[*]}" >&2
  echo "(Debian names; InfluxDB must be a 1.x release, HAProxy 2.x, net-snmp 5.9, snmpsim 0.4.)" >&2
  exit 1
fi

if [[ "$(id -u)" -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
  echo "Not root: using sudo."
else
  echo "Neither root nor sudo is available. Ask an administrator to run, as root:" >&2
  echo "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing_packages[*]}" >&2
  exit 1
fi

echo "Installing: ${missing_packages[*]}"
${as_root[@]+"${as_root[@]}"} apt-get update
# --no-install-recommends: openssh-server would otherwise pull in systemd.
${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${missing_packages[@]}"
check_recordings
echo "Done."
