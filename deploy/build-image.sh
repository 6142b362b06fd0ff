#!/usr/bin/env bash
# Builds the stocknet:local image without any image registry:
#   1. publishes the CLI self-contained for linux-x64 on this host (the runtime packs come from NuGet);
#   2. unless --base names an image, makes a Debian bookworm base with debootstrap and `docker import`
#      (once: an existing stocknet-base:bookworm is reused; --rebuild-base makes it again);
#   3. builds deploy/Dockerfile on that base from the published folder;
#   4. prepares what compose.yaml mounts from this folder for the image's user: load-results/compose, and
#      the services' cluster key deploy/cluster.key (created when missing, git-ignored).
# Where a registry is reachable, `--base mcr.microsoft.com/dotnet/runtime-deps:10.0` skips step 2.
# --files-only does step 4 alone.
# Needs root for debootstrap (as the Docker engine does anyway).
set -euo pipefail

usage() {
  echo "usage: $0 [--base IMAGE] [--tag TAG] [--rebuild-base] [--files-only]" >&2
  exit 2
}

cd "$(dirname "${BASH_SOURCE[0]}")/.."
base=""
tag="stocknet:local"
rebuild_base=0
files_only=0
while (($# > 0)); do
  case "$1" in
    --base) base="${2:?}"; shift 2 ;;
    --tag) tag="${2:?}"; shift 2 ;;
    --rebuild-base) rebuild_base=1; shift ;;
    --files-only) files_only=1; shift ;;
    *) usage ;;
  esac
done

default_base="stocknet-base:bookworm"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# Matches the Dockerfile's STOCKNET_UID: the user the services run as.
stocknet_uid=10001
context="$(mktemp -d /tmp/stocknet-image.XXXXXX)"
rootfs=""
cleanup() {
  rm -rf "$context"
  if [[ -n "$rootfs" ]]; then rm -rf "$rootfs"; fi
}
trap cleanup EXIT

step() { echo "== $*"; }

publish() {
  step "publishing the self-contained app"
  dotnet publish src/StockNet.Cli/StockNet.Cli.csproj -c Release -r linux-x64 --self-contained \
    -p:PublishReadyToRun=true -o "$context/app" -v quiet -nologo
  # Debug symbols are a quarter of the folder and nothing in a container reads them.
  find "$context/app" -name '*.pdb' -delete
}

# A minimal Debian: essential packages, the plot's font and OpenSSL (signed requests) only, without the package lists, caches, manuals and translations
# (apt-get update brings the lists back inside a container that needs a package).
make_base() {
  step "making $default_base with debootstrap"
  rootfs="$(mktemp -d /tmp/stocknet-rootfs.XXXXXX)"
  debootstrap --variant=minbase --include=fonts-dejavu-core,libssl3 bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || {
    tail -n 20 "$rootfs.log" >&2
    rm -f "$rootfs.log"
    return 1
  }
  rm -f "$rootfs.log"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
  tar -C "$rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' - "$default_base" >/dev/null
  rm -rf "$rootfs"
  rootfs=""
}

# The services' shared secret (STOCKNET_CLUSTER_KEY_FILE, which compose.yaml points at this file): readable
# by the image's user only, because Compose mounts a file secret with the host file's owner and mode.
make_cluster_key() {
  local key=deploy/cluster.key
  if [[ ! -s "$key" ]]; then
    step "creating $key"
    (umask 077 && head -c 32 /dev/urandom | base64 >"$key")
  fi
  chown "$stocknet_uid:$stocknet_uid" "$key"
  chmod 0400 "$key"
}

# The client container writes its results here (a bind mount keeps the host folder's owner).
make_results_folder() {
  mkdir -p load-results/compose
  chown "$stocknet_uid:$stocknet_uid" load-results/compose
}

# --files-only: just what compose.yaml mounts, for an image that is already built.
if ((files_only)); then
  make_results_folder
  make_cluster_key
  exit 0
fi

publish
if [[ -z "$base" ]]; then
  base="$default_base"
  if ((rebuild_base)) || ! docker image inspect "$base" >/dev/null 2>&1; then
    make_base
  fi
fi

step "building $tag on $base"
cp deploy/Dockerfile "$context/Dockerfile"
# The classic builder: Debian's engine has no BuildKit plugin, and the Dockerfile needs nothing more.
DOCKER_BUILDKIT=0 docker build --quiet --build-arg "BASE=$base" --build-arg "STOCKNET_UID=$stocknet_uid" \
  -t "$tag" "$context" >/dev/null
make_results_folder
make_cluster_key
docker image ls "$tag"
