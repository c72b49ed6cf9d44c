#!/usr/bin/env bash
# Proves the README's set-up commands on a fresh Debian 12 machine: a clean minbase root made
# with mmdebstrap, a fresh clone of this repository's HEAD inside it, and the commands run there
# with chroot and a clean environment. Packages installed on this machine by hand cannot hide
# a missing install step.
#
# Usage: scripts/fresh-check.sh [--full] [--rebuild-root]
#   (default)       scripts/deps.sh's groups, then `cmake --preset P` for every visible
#                   configure preset; fuzz is configured after installing its own group
#   --full          scripts/test.sh, then scripts/run.sh (the README's two commands); three cold
#                   builds, so about two hours on 2 cores (the default mode: 2 to 3 minutes)
#   --rebuild-root  make the cached root again (it is made once, then kept)
#
# The root is made with this machine's own apt configuration: its sources files are passed as
# mmdebstrap's mirror arguments and each file in /etc/apt/apt.conf.d/ with --aptopt, so it works
# behind whatever mirror or proxy the machine uses. The clean root is cached as a tarball under
# ${XDG_CACHE_HOME:-~/.cache}/decksync-fresh-check/; each run unpacks it into a new folder, and
# unmounts and removes that folder on every exit path. Needs root (it re-runs itself with sudo).
# The last line says what passed or what failed.
set -euo pipefail

full=0
rebuild=0
for arg in "$@"; do
    case $arg in
        --full) full=1 ;;
        --rebuild-root) rebuild=1 ;;
        -h|--help) sed -n '2,19s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "usage: $0 [--full] [--rebuild-root]" >&2; exit 2 ;;
    esac
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ $(id -u) -ne 0 ]]; then
    exec sudo --preserve-env=XDG_CACHE_HOME,HOME "$0" "$@"
fi

started=$SECONDS
mode=$([[ $full -eq 1 ]] && echo full || echo default)
step="setting up"
root=
finish() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n $root && -d $root ]]; then
        # Nothing may still run inside the root, or its mounts stay busy.
        for p in /proc/[0-9]*; do
            [[ $(readlink "$p/root" 2>/dev/null) == "$root" ]] && kill -9 "${p#/proc/}" 2>/dev/null || true
        done
        for m in "$root/root/.cache/ccache" "$root/var/cache/apt/archives" "$root/proc" "$root/dev"; do
            mountpoint -q "$m" && { umount -R "$m" 2>/dev/null || umount -R -l "$m"; }
        done
        if grep -q " $root/" /proc/self/mounts; then
            echo "fresh-check: $root still has mounts; not removing it" >&2
            rc=1
        else
            rm -rf --one-file-system "$root"
        fi
    fi
    local took=$((SECONDS - started))
    if [[ $rc -eq 0 ]]; then
        echo "fresh-check: PASS ($mode mode) in a clean Debian 12 root, ${took} s: $passed"
    else
        echo "fresh-check: FAIL ($mode mode) at: $step (exit $rc, after ${took} s; passed before it: ${passed:-nothing})"
    fi
    exit "$rc"
}
passed=
trap finish EXIT
trap 'step="$step (interrupted)"; exit 130' INT
trap 'step="$step (terminated)"; exit 143' TERM

# The host's own tools: mmdebstrap, the archive keyring, git.
step="installing mmdebstrap on this machine"
"$repo/scripts/deps.sh" fresh-check

cache=${XDG_CACHE_HOME:-$HOME/.cache}/decksync-fresh-check
# The name changes with the options the root is made with.
tarball=$cache/bookworm-minbase-unsafe-io.tar
mkdir -p "$cache"
if [[ $rebuild -eq 1 || ! -s $tarball ]]; then
    step="making the clean root with mmdebstrap"
    mirrors=()
    [[ -s /etc/apt/sources.list ]] && grep -q '^[[:space:]]*deb' /etc/apt/sources.list && mirrors+=(/etc/apt/sources.list)
    for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [[ -f $f ]] && mirrors+=("$f")
    done
    aptopts=()
    for f in /etc/apt/apt.conf.d/*; do
        [[ -f $f ]] && aptopts+=("--aptopt=$f")
    done
    echo "== making a Debian 12 minbase root (once; cached as $tarball)"
    # dpkg skips its fsync calls in this throwaway root (force-unsafe-io): installs are faster,
    # and what is installed is the same.
    mmdebstrap --quiet --variant=minbase --format=tar --dpkgopt=force-unsafe-io "${aptopts[@]}" bookworm \
        "$tarball.part" "${mirrors[@]}"
    mv "$tarball.part" "$tarball"
fi

step="unpacking the clean root"
root=$(mktemp -d "${TMPDIR:-/var/tmp}/decksync-fresh-root.XXXXXX")
tar -C "$root" -xf "$tarball"
cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

step="cloning the repository into the root"
if [[ -n $(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null) ]]; then
    echo "fresh-check: note: uncommitted changes are not part of the check (it clones HEAD)" >&2
fi
git clone --quiet --no-hardlinks "$repo" "$root/src"
echo "== checking $(git -C "$root/src" log -1 --format='%h %s')"

step="mounting /proc and /dev"
for m in proc dev; do
    mount --rbind "/$m" "$root/$m"
    mount --make-rslave "$root/$m"
done
# Downloaded packages are kept between checks (only the download: each check installs anew).
mkdir -p "$cache/archives/partial"
mount --bind "$cache/archives" "$root/var/cache/apt/archives"
# So is this machine's compiler cache, keyed on paths relative to the clone (as CI's builds
# are): a cached object is used only when every header it was made from is there with the same
# bytes, so it cannot hide a missing package; it only spares --full three cold builds.
ccache_dir=$(command -v ccache >/dev/null && ccache -k cache_dir 2>/dev/null || true)
ccache_dir=${ccache_dir:-$HOME/.cache/ccache}
mkdir -p "$ccache_dir" "$root/root/.cache/ccache"
mount --bind "$ccache_dir" "$root/root/.cache/ccache"

# One command in the root, as a new user's shell would run it: a clean environment. Its
# output goes to a log, whose end is shown when it fails.
logs=$cache/logs
rm -rf "$logs"
mkdir -p "$logs"
n=0
in_root() {
    step=$1
    n=$((n + 1))
    local log
    log=$logs/$(printf '%02d' $n)-$(tr -c 'a-zA-Z0-9.-' '_' <<<"${1%% >*}" | cut -c1-40).log
    local t0=$SECONDS
    printf '== %s ... ' "$1"
    # In the background, and waited for: a signal to this script runs its trap at once (bash
    # defers a trap until a foreground command ends), and the trap ends what runs in the root.
    env -i HOME=/root USER=root LANG=C.UTF-8 TERM=dumb \
        CCACHE_DIR=/root/.cache/ccache CCACHE_BASEDIR=/src CCACHE_NOHASHDIR=true \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        /usr/sbin/chroot "$root" /bin/bash -c "cd /src && $1" >"$log" 2>&1 </dev/null &
    if ! wait $!; then
        echo "failed; the end of $log:"
        tail -n 40 "$log"
        return 1
    fi
    echo "ok ($((SECONDS - t0)) s)"
    passed="${passed:+$passed, }$1"
}

if [[ $full -eq 1 ]]; then
    in_root "scripts/test.sh"
    in_root "scripts/run.sh"
    in_root "test -s build/run/inspector.png"
else
    in_root "scripts/deps.sh build test fresh-check"
    step="listing the configure presets"
    presets=$(env -i PATH=/usr/bin:/bin /usr/sbin/chroot "$root" /bin/bash -c \
        "cd /src && cmake --list-presets=configure" | sed -n 's/^ *"\([^"]*\)".*/\1/p')
    for p in $presets; do
        [[ $p == fuzz ]] && continue
        in_root "cmake --preset $p"
    done
    if grep -qw fuzz <<<"$presets"; then
        in_root "scripts/deps.sh fuzz"
        in_root "cmake --preset fuzz"
    fi
fi
