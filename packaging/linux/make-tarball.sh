#!/bin/sh
# Pack a built bundle into the download tarball (make dist-tar):
#
#   sh packaging/linux/make-tarball.sh dist/NeuralStyleStudio dist/NeuralStyleStudio-0.1.0-linux-x86_64-cpu.tar.xz
#
# The tarball holds one folder named after it, with the bundle, install.sh (menu entry, icon,
# .nss file type, a command on PATH; per user or system-wide) and the desktop/MIME templates.
# Members are sorted and owned by root with the bundle's build time, so the same bundle gives
# the same tarball. Compression: xz -9 on all cores (NSS_XZ_OPT overrides, e.g. "-6 -T0").
set -eu

bundle=${1:?usage: make-tarball.sh BUNDLE_DIR OUT.tar.xz}
out=${2:?usage: make-tarball.sh BUNDLE_DIR OUT.tar.xz}
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$bundle/NeuralStyleStudio" ] || { echo "make-tarball: no bundle at $bundle (run 'make app')" >&2; exit 1; }

name=$(basename "$out" .tar.xz)
stage=$(dirname "$out")/.stage-$name
rm -rf "$stage"
mkdir -p "$stage/$name/share"
trap 'rm -rf "$stage"' EXIT
# Hard links: no copy of the bundle (falls back to a copy across file systems).
cp -al "$bundle" "$stage/$name/NeuralStyleStudio" 2>/dev/null || cp -a "$bundle" "$stage/$name/NeuralStyleStudio"
cp "$here/install.sh" "$stage/$name/install.sh"
chmod 755 "$stage/$name/install.sh"
cp "$here/neural-style-studio.desktop.in" "$here/neural-style-studio-mime.xml" "$stage/$name/share/"

mtime=$(stat -c %Y "$bundle/NeuralStyleStudio")
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" -cf - "$name" \
    | xz ${NSS_XZ_OPT:--9 -T0} > "$out.part"
mv "$out.part" "$out"
echo "wrote $out ($(du -k "$out" | cut -f1) KiB; the bundle is $(du -sk "$bundle" | cut -f1) KiB on disk)"
