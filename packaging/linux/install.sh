#!/bin/sh
# Install Neural Style Studio from the unpacked download tarball.
#
#   ./install.sh                     for you: ~/.local/opt/neural-style-studio, the command
#                                    ~/.local/bin/neural-style-studio, a menu entry, the icon and
#                                    the .nss file type (no root)
#   sudo ./install.sh --system       for everyone: /opt/neural-style-studio, /usr/local/bin,
#                                    /usr/local/share
#   ./install.sh --uninstall         removes what the same kind of install put there
#                                    (add --system for the system-wide one)
#
# The application needs no installing: NeuralStyleStudio/NeuralStyleStudio runs where it is.
# NSS_PREFIX (the application folder), NSS_BIN and NSS_DATA override the three locations.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
scope=user
action=install
for arg in "$@"; do
    case $arg in
        --system) scope=system ;;
        --user) scope=user ;;
        --uninstall) action=uninstall ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
    esac
done
if [ "$scope" = system ]; then
    app=${NSS_PREFIX:-/opt/neural-style-studio}
    bin=${NSS_BIN:-/usr/local/bin}
    data=${NSS_DATA:-/usr/local/share}
else
    app=${NSS_PREFIX:-$HOME/.local/opt/neural-style-studio}
    bin=${NSS_BIN:-$HOME/.local/bin}
    data=${NSS_DATA:-${XDG_DATA_HOME:-$HOME/.local/share}}
fi
exe="$app/NeuralStyleStudio"
desktop="$data/applications/neural-style-studio.desktop"
icon="$data/icons/hicolor/256x256/apps/neural-style-studio.png"
mime="$data/mime/packages/neural-style-studio.xml"
link="$bin/neural-style-studio"

refresh() {
    if command -v update-mime-database >/dev/null 2>&1 && [ -d "$data/mime/packages" ]; then
        update-mime-database "$data/mime" >/dev/null 2>&1 || true
    fi
    if command -v update-desktop-database >/dev/null 2>&1 && [ -d "$data/applications" ]; then
        update-desktop-database "$data/applications" >/dev/null 2>&1 || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$data/icons/hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
    fi
}

# Only ever replace or delete a folder that holds an installed bundle (never a mistyped NSS_PREFIX).
check_app() {
    if [ -e "$app" ] && ! { [ -x "$exe" ] && [ -d "$app/_internal" ]; }; then
        echo "install.sh: $app exists but is not a Neural Style Studio install; leaving it alone" >&2
        exit 1
    fi
}

check_app
if [ "$action" = uninstall ]; then
    rm -rf "$app"
    [ -L "$link" ] && rm -f "$link"
    rm -f "$desktop" "$icon" "$mime"
    refresh
    echo "Removed Neural Style Studio from $app"
    exit 0
fi

[ -x "$here/NeuralStyleStudio/NeuralStyleStudio" ] || { echo "install.sh: run it from the unpacked tarball" >&2; exit 1; }
mkdir -p "$(dirname "$app")" "$bin" "$data/applications" "$(dirname "$icon")" "$(dirname "$mime")"
# Copy next to the old install, then swap, so a failed copy leaves the old one working.
new=$(mktemp -d "$(dirname "$app")/.neural-style-studio.XXXXXX")
trap 'rm -rf "$new"' EXIT
cp -a "$here/NeuralStyleStudio/." "$new/"
chmod 755 "$new"
rm -rf "$app"
mv "$new" "$app"
trap - EXIT
ln -sfn "$exe" "$link"

# Desktop Entry Exec quoting (as in install-desktop.sh): each argument in double quotes with
# \ " ` $ backslash-escaped, and every backslash doubled again.
quote() {
    printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\\\\\/g' -e 's/["`$]/\\\\&/g')"
}
sed_escape() { printf '%s' "$1" | sed -e 's/[\\&|]/\\&/g'; }
sed -e "s|@EXEC@|$(sed_escape "$(quote "$exe")")|" -e "s|@TRYEXEC@|$(sed_escape "$exe")|" \
    "$here/share/neural-style-studio.desktop.in" > "$desktop"
cp "$app/_internal/resources/icons/neural_style_studio.png" "$icon"
cp "$here/share/neural-style-studio-mime.xml" "$mime"
refresh

echo "Installed Neural Style Studio in $app"
echo "  menu entry: $desktop"
echo "  command:    $link"
case ":$PATH:" in *":$bin:"*) ;; *) echo "  ($bin is not on your PATH; the menu entry works regardless)" ;; esac
