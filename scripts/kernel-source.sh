#!/usr/bin/env bash
# Find the source tarball of a kernel line, fetching it when it is not on
# this machine, and print its path.
#
# In order: /usr/src/linux-source-LINE.tar.xz (the Debian package,
# installed), BUILD/linux-source-LINE.tar.xz (fetched before), else:
# - a line whose package this Debian release has (kernel-config/lines says
#   "-") is installed by scripts/deps.sh, as the lab's other packages are;
# - any other line is fetched from the suite kernel-config/lines names,
#   from the Debian mirror this machine's apt already uses: apt-get
#   download with a sources list and state of its own in BUILD/apt/ (the
#   system's apt configuration is not touched, nothing is installed), and
#   the tarball taken out of the package with dpkg-deb.
#
# usage: scripts/kernel-source.sh LINE BUILD
set -euo pipefail

die() { printf 'kernel-source: %s\n' "$*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: $0 LINE BUILD"
line=$1 build=$2
top=$(cd "${0%/*}/.." && pwd)
pkg=linux-source-$line
tarball=$pkg.tar.xz

for f in "/usr/src/$tarball" "$build/$tarball"; do
	[ -r "$f" ] && { echo "$f"; exit 0; }
done

suite=$("$top/scripts/build-dir.sh" --suite "$line")
if [ "$suite" = - ]; then
	KERNEL=$line "$top/scripts/deps.sh" >&2
	[ -r "/usr/src/$tarball" ] || die "$pkg is installed, but /usr/src/$tarball is not there"
	echo "/usr/src/$tarball"
	exit 0
fi

# The mirror: the one this machine's apt takes Debian's own archive from.
# shellcheck disable=SC2016 # apt's own $(FIELD) syntax
uri=$(apt-get indextargets --format '$(LABEL) $(REPO_URI)' 2>/dev/null |
	awk '$1 == "Debian" { print $2; exit }')
[ -n "$uri" ] || die "no Debian archive in this machine's apt sources to fetch $pkg from; install it, or set KERNEL_SRC"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$keyring" ] || die "no $keyring to check $suite's signature with (install debian-archive-keyring)"

state=$build/apt
rm -rf "$state"
# nothing of a fetch stays behind but the tarball
trap 'rm -rf "$state" "$build/$tarball.tmp"' EXIT
mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$state/sources.list.d"
: >"$state/status"
echo "deb [signed-by=$keyring] $uri $suite main" >"$state/sources.list"
state=$(cd "$state" && pwd)
apt=(-o "Dir::Etc::SourceList=$state/sources.list"
	-o "Dir::Etc::SourceParts=$state/sources.list.d"
	-o "Dir::State=$state" -o "Dir::State::Lists=$state/lists"
	-o "Dir::State::status=$state/status" -o "Dir::Cache=$state/cache")
# as root, apt would hand the download to its _apt user, who may not
# write here
[ "$(id -u)" -ne 0 ] || apt+=(-o APT::Sandbox::User=root)

echo "  FETCH    $pkg from $uri $suite" >&2
if ! apt-get -q "${apt[@]}" update >"$state/update.log" 2>&1 ||
	grep -q '^[WE]:' "$state/update.log"; then
	die "cannot read $suite from $uri: $(grep -m1 '^[WE]:' "$state/update.log" || tail -n 1 "$state/update.log")"
fi
# (apt's progress line shows when this runs at a terminal)
(cd "$state" && apt-get "${apt[@]}" download "$pkg" >&2) ||
	die "cannot download $pkg from $uri $suite"
debs=("$state/${pkg}"_*.deb)
deb=${debs[0]}
dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$tarball" >"$build/$tarball.tmp" ||
	die "no /usr/src/$tarball in $deb"
mv "$build/$tarball.tmp" "$build/$tarball"
echo "$build/$tarball"
