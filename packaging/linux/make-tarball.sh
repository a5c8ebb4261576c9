#!/bin/sh
# Pack a built bundle into the download tarball (make dist-tar):
#
#   sh packaging/linux/make-tarball.sh dist/NeuralStyleStudio dist/NeuralStyleStudio-0.1.0-linux-x86_64-cpu.tar.zst
#
# The tarball holds one folder named after it, with the bundle, install.sh (menu entry, icon,
# .nss file type, a command on PATH; per user or system-wide) and the desktop/MIME templates.
# Members are sorted and owned by root with the bundle's build time, so the same bundle gives
# the same tarball. The compressor follows the name: .tar.zst is zstd -9 --long=27 on all cores
# (NSS_ZSTD_OPT overrides; 2 minutes for the CPU bundle on a busy 2-core machine), .tar.xz is
# xz -9 on all cores (NSS_XZ_OPT overrides; over 20 minutes there).
set -eu

usage="usage: make-tarball.sh BUNDLE_DIR OUT.tar.zst|OUT.tar.xz"
bundle=${1:?$usage}
out=${2:?$usage}
case $out in
    *.tar.zst) name=$(basename "$out" .tar.zst); compress="zstd -q ${NSS_ZSTD_OPT:--9 --long=27 -T0}" ;;
    *.tar.xz) name=$(basename "$out" .tar.xz); compress="xz ${NSS_XZ_OPT:--9 -T0}" ;;
    *) echo "$usage" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$bundle/NeuralStyleStudio" ] || { echo "make-tarball: no bundle at $bundle (run 'make app')" >&2; exit 1; }

stage=$(dirname "$out")/.stage-$name
rm -rf "$stage"
mkdir -p "$stage/$name/share"
trap 'rm -rf "$stage" "$out.part"' EXIT
# Hard links: no copy of the bundle (falls back to a copy across file systems).
cp -al "$bundle" "$stage/$name/NeuralStyleStudio" 2>/dev/null || cp -a "$bundle" "$stage/$name/NeuralStyleStudio"
cp "$here/install.sh" "$stage/$name/install.sh"
chmod 755 "$stage/$name/install.sh"
cp "$here/neural-style-studio.desktop.in" "$here/neural-style-studio-mime.xml" "$stage/$name/share/"

mtime=$(stat -c %Y "$bundle/NeuralStyleStudio")
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" -cf - "$name" \
    | $compress > "$out.part"
mv "$out.part" "$out"
echo "wrote $out ($(du -k "$out" | cut -f1) KiB; the bundle is $(du -sk "$bundle" | cut -f1) KiB on disk)"
