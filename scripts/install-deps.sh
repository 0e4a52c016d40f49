#!/usr/bin/env bash
# Installs what pcapunit's demo and tests need and a fresh Debian/Ubuntu machine lacks.
# Installs only what is missing; needs root (apt-get). Used by ./demo and .ci/run.
set -euo pipefail

need=()
dpkg -s libpcap0.8 >/dev/null 2>&1 || need+=(libpcap0.8)   # the capture library (JNA loads libpcap.so.0.8)
command -v tshark   >/dev/null 2>&1 || need+=(tshark)       # outside referee of every file we write
command -v capinfos >/dev/null 2>&1 || need+=(wireshark-common)
command -v editcap  >/dev/null 2>&1 || need+=(wireshark-common)
command -v tcpdump  >/dev/null 2>&1 || need+=(tcpdump)      # benchmarks and interop tests
command -v nft      >/dev/null 2>&1 || need+=(nftables)     # firewall rules in test namespaces
command -v bpftrace >/dev/null 2>&1 || need+=(bpftrace)     # eBPF kernel drop records (packet headers, namespace, hook)
command -v iptables >/dev/null 2>&1 || need+=(iptables)
command -v ip       >/dev/null 2>&1 || need+=(iproute2)     # ip netns, veth
command -v ping     >/dev/null 2>&1 || need+=(iputils-ping)
command -v ps       >/dev/null 2>&1 || need+=(procps)
command -v setpriv  >/dev/null 2>&1 || need+=(util-linux)   # unprivileged-run tests
[ -x /usr/bin/python3 ]             || need+=(python3-minimal)  # network lab listeners
command -v dockerd  >/dev/null 2>&1 || need+=(docker.io)    # container capture points; tests start dockerd themselves
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)  # test images FROM scratch, never pulled

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: missing packages: ${need[*]}" >&2
  echo "install-deps: run as root (sudo $0) or install them with your package manager." >&2
  exit 1
fi
# De-duplicate (wireshark-common may be listed twice).
mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
echo "install-deps: installing ${need[*]}"
apt-get update -q
# tshark asks whether non-root users may capture; answer no without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
