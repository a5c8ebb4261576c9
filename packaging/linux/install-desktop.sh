#!/bin/sh
# Install the Neural Style Studio launcher, icon and session MIME type for the current user.
#
#   sh packaging/linux/install-desktop.sh [PYTHON]        (or: make install-desktop)
#
# Exec= points at the built bundle dist/NeuralStyleStudio/NeuralStyleStudio when it exists,
# otherwise at "PYTHON main.py" (PYTHON defaults to .venv/bin/python). Everything goes under
# $XDG_DATA_HOME (~/.local/share), so no root is needed; update-mime-database,
# update-desktop-database and gtk-update-icon-cache run only if they are installed.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
bundle="$root/dist/NeuralStyleStudio/NeuralStyleStudio"
python=${1:-$root/.venv/bin/python}
case $python in /*) ;; *) python="$root/$python" ;; esac

# Desktop Entry Exec quoting: each argument in double quotes with \ " ` $ backslash-escaped,
# and every backslash doubled again because the value is itself an escaped string.
quote() {
    printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\\\\\/g' -e 's/["`$]/\\\\&/g')"
}

if [ -x "$bundle" ]; then
    exec_line=$(quote "$bundle")
    try_exec=$bundle
else
    if [ ! -x "$python" ]; then
        echo "install-desktop: neither $bundle nor $python exists; run 'make app' or 'make run' first" >&2
        exit 1
    fi
    exec_line="$(quote "$python") $(quote "$root/main.py")"
    try_exec=$python
fi

apps="$data/applications"
icons="$data/icons/hicolor/256x256/apps"
mime="$data/mime/packages"
mkdir -p "$apps" "$icons" "$mime"

# sed replacement text: escape \ & and the | delimiter.
sed_escape() { printf '%s' "$1" | sed -e 's/[\\&|]/\\&/g'; }
sed -e "s|@EXEC@|$(sed_escape "$exec_line")|" -e "s|@TRYEXEC@|$(sed_escape "$try_exec")|" \
    "$here/neural-style-studio.desktop.in" > "$apps/neural-style-studio.desktop"
cp "$root/resources/icons/neural_style_studio.png" "$icons/neural-style-studio.png"
cp "$here/neural-style-studio-mime.xml" "$mime/neural-style-studio.xml"

if command -v update-mime-database >/dev/null 2>&1; then
    update-mime-database "$data/mime" || echo "install-desktop: update-mime-database failed (ignored)" >&2
fi
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database "$apps" || echo "install-desktop: update-desktop-database failed (ignored)" >&2
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$data/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
fi
echo "Installed $apps/neural-style-studio.desktop (Exec=$exec_line)"
