#!/bin/sh
# Installs gsbridge for the current user, without root:
#   ~/.local/share/gsbridge/gsbridge.jar               the program
#   ~/.local/bin/gsbridge                              the launcher (gsbridge --help)
#   ~/.config/systemd/user/gsbridge.service            systemd user unit (enabled and started when possible)
#   ~/.local/share/dbus-1/services/io.github.gsbridge.service   D-Bus activation
#   ~/.local/share/dbus-1/interfaces/io.github.gsbridge.*.xml   the D-Bus API description
#   ~/.local/share/nautilus-python/extensions/gsbridge-nautilus.py  "Send to" in Nautilus (with nautilus-python)
#   ~/.local/share/nautilus/scripts/Send to phone      the same, only for Nautilus without nautilus-python
#   ~/.config/autostart/gsbridge.desktop               only when there is no systemd user manager
# XDG_DATA_HOME and XDG_CONFIG_HOME move ~/.local/share and ~/.config as usual.
# Running it again updates everything; --uninstall removes all of it (gsbridge's identity and
# pairings in ~/.config/gsbridge stay).
set -eu

usage() {
    cat <<'USAGE'
Usage: ./install.sh [--jar PATH] [--uninstall]

Installs gsbridge for the current user (no root needed).
  --jar PATH    install this jar (default: target/gsbridge.jar, built with Maven when missing
                or older than the sources)
  --uninstall   remove everything a previous install put in place
USAGE
}

here=$(cd "$(dirname "$0")" && pwd)
jar=""
action=install
while [ $# -gt 0 ]; do
    case "$1" in
        --jar) [ $# -ge 2 ] || { usage >&2; exit 2; }; jar=$2; shift 2 ;;
        --uninstall) action=uninstall; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
done

data=${XDG_DATA_HOME:-$HOME/.local/share}
config=${XDG_CONFIG_HOME:-$HOME/.config}
bin_dir=$HOME/.local/bin
jar_dir=$data/gsbridge
unit_dir=$config/systemd/user
dbus_dir=$data/dbus-1/services
interface_dir=$data/dbus-1/interfaces
extension_dir=$data/nautilus-python/extensions
script_dir=$data/nautilus/scripts
autostart_dir=$config/autostart
launcher=$bin_dir/gsbridge

# Whether a systemd user manager answers (not so in containers, or sessions started without it).
have_systemd() {
    command -v systemctl >/dev/null 2>&1 && systemctl --user show-environment >/dev/null 2>&1
}

# Whether Nautilus can load Python extensions: nautilus-python's loader module, where the
# distributions put Nautilus 43+ extensions. GSBRIDGE_NAUTILUS_EXTENSION_DIRS replaces the list.
have_nautilus_python() {
    for dir in ${GSBRIDGE_NAUTILUS_EXTENSION_DIRS:-/usr/lib/nautilus/extensions-4 /usr/lib/*/nautilus/extensions-4 /usr/lib64/nautilus/extensions-4}; do
        [ -e "$dir/libnautilus-python.so" ] && return 0
    done
    return 1
}

# The folder of the entry not installed, when an earlier install made it and left it empty.
remove_empty_dirs_of_nautilus() {
    for dir in "$extension_dir" "$data/nautilus-python" "$script_dir" "$data/nautilus"; do
        rmdir "$dir" 2>/dev/null || true
    done
}

# Directories we may have created, deepest first; removed only when empty (in a fresh home the
# install created even ~/.local and ~/.config).
remove_empty_dirs() {
    for dir in "$jar_dir" "$extension_dir" "$data/nautilus-python" "$script_dir" "$data/nautilus" \
        "$dbus_dir" "$interface_dir" "$data/dbus-1" "$unit_dir" "$config/systemd" "$autostart_dir" "$bin_dir" \
        "$data" "$HOME/.local" "$config"; do
        rmdir "$dir" 2>/dev/null || true
    done
}

if [ "$action" = uninstall ]; then
    if have_systemd; then
        systemctl --user disable --now gsbridge.service >/dev/null 2>&1 || true
    fi
    rm -f "$jar_dir/gsbridge.jar" "$launcher" "$unit_dir/gsbridge.service" "$dbus_dir/io.github.gsbridge.service" \
        "$interface_dir/io.github.gsbridge.Manager1.xml" "$interface_dir/io.github.gsbridge.Device1.xml" \
        "$interface_dir/io.github.gsbridge.Transfer1.xml" "$extension_dir/gsbridge-nautilus.py" \
        "$script_dir/Send to phone" "$autostart_dir/gsbridge.desktop"
    if have_systemd; then
        systemctl --user daemon-reload || true
    fi
    remove_empty_dirs
    echo "gsbridge is uninstalled. Its identity and pairings stay in $config/gsbridge."
    exit 0
fi

# Java 17 or newer: JAVA_HOME's when set, else the one on PATH.
if [ -n "${JAVA_HOME:-}" ]; then
    java=$JAVA_HOME/bin/java
else
    java=$(command -v java || true)
fi
if [ -z "$java" ] || [ ! -x "$java" ]; then
    echo "install.sh: gsbridge needs Java 17 or newer, and no java was found${JAVA_HOME:+ in JAVA_HOME ($JAVA_HOME)}." >&2
    echo "Install a Java runtime, e.g. \"sudo apt install openjdk-17-jre-headless\" (Debian, Ubuntu)" >&2
    echo "or \"sudo dnf install java-17-openjdk-headless\" (Fedora)." >&2
    exit 1
fi
version=$("$java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9.]*\).*/\1/p' | head -n 1)
major=${version%%.*}
[ "$major" = 1 ] && major=$(echo "$version" | cut -d. -f2)
if [ -z "$major" ] || [ "$major" -lt 17 ]; then
    echo "install.sh: gsbridge needs Java 17 or newer; $java is ${version:-of unknown version}." >&2
    echo "Install a newer one (e.g. \"sudo apt install openjdk-17-jre-headless\") or point JAVA_HOME at it." >&2
    exit 1
fi

if [ -z "$jar" ]; then
    jar=$here/target/gsbridge.jar
    # Install what the sources say: a jar older than any source (after a git pull, say) is rebuilt.
    stale=""
    if [ ! -f "$jar" ]; then
        stale="is missing"
    elif [ -n "$(find "$here/pom.xml" "$here/src/main" -newer "$jar" -print 2>/dev/null | head -n 1)" ]; then
        stale="is older than the sources"
    fi
    if [ -n "$stale" ]; then
        if ! command -v mvn >/dev/null 2>&1; then
            echo "install.sh: $jar $stale and Maven (mvn) is not installed to build it." >&2
            echo "Install Maven (e.g. \"sudo apt install maven\"), or pass a built jar with --jar." >&2
            exit 1
        fi
        echo "Building gsbridge with Maven ($jar $stale)..."
        (cd "$here" && mvn -q -DskipTests package)
    fi
fi
[ -f "$jar" ] || { echo "install.sh: no jar at $jar" >&2; exit 1; }

mkdir -p "$jar_dir" "$bin_dir" "$unit_dir" "$dbus_dir" "$interface_dir"
cp "$jar" "$jar_dir/gsbridge.jar.new" && mv "$jar_dir/gsbridge.jar.new" "$jar_dir/gsbridge.jar"

# The launcher names java and the jar by full path: systemd and D-Bus start it with a minimal PATH.
# JVM options: the defaults size the heap like a server's (~180 MiB idle, the heap climbing to
# hundreds of MiB during a transfer); these keep an idle daemon near 100 MiB and its heap flat at
# the same transfer speed (README: Benchmarks). GSBRIDGE_JAVA_OPTS replaces them.
# ExitOnOutOfMemoryError stays whatever they are: a daemon out of memory may have lost any of its
# threads (the one accepting connections, say), so it ends and systemd restarts it.
cat >"$launcher" <<LAUNCHER
#!/bin/sh
# Written by gsbridge's install.sh.
exec "$java" -XX:+ExitOnOutOfMemoryError \${GSBRIDGE_JAVA_OPTS:--XX:+UseSerialGC -Xms16m -Xmx192m -XX:ReservedCodeCacheSize=48m -Xss512k} \\
  -jar "$jar_dir/gsbridge.jar" "\$@"
LAUNCHER
chmod 755 "$launcher"

sed "s|^ExecStart=.*|ExecStart=$launcher daemon|" "$here/desktop/gsbridge.service" >"$unit_dir/gsbridge.service"
sed "s|^Exec=.*|Exec=$launcher daemon|" "$here/dbus/io.github.gsbridge.service" >"$dbus_dir/io.github.gsbridge.service"
for name in Manager1 Device1 Transfer1; do
    cp "$here/dbus/io.github.gsbridge.$name.xml" "$interface_dir/"
done
# One "Send to" entry in Nautilus, not two: the extension where nautilus-python can load it, the
# script (Scripts menu) only where it cannot. Running install.sh again after installing
# nautilus-python swaps the one for the other.
if have_nautilus_python; then
    mkdir -p "$extension_dir"
    cp "$here/desktop/nautilus/gsbridge-nautilus.py" "$extension_dir/"
    rm -f "$script_dir/Send to phone"
else
    mkdir -p "$script_dir"
    cp "$here/desktop/nautilus/Send to phone" "$script_dir/"
    chmod 755 "$script_dir/Send to phone"
    rm -f "$extension_dir/gsbridge-nautilus.py"
fi
remove_empty_dirs_of_nautilus

echo "Installed $("$launcher" --version): $launcher"
if have_systemd; then
    rm -f "$autostart_dir/gsbridge.desktop"
    systemctl --user daemon-reload
    systemctl --user enable gsbridge.service >/dev/null
    systemctl --user restart gsbridge.service
    echo "gsbridge runs now as the systemd user service gsbridge.service and starts at every login."
else
    mkdir -p "$autostart_dir"
    sed "s|^Exec=.*|Exec=$launcher daemon|" "$here/desktop/gsbridge.desktop" >"$autostart_dir/gsbridge.desktop"
    echo "No systemd user manager here: gsbridge starts at your next login (autostart),"
    echo "or now with: $launcher daemon"
fi
case ":$PATH:" in
    *":$bin_dir:"*) ;;
    *) echo "Note: $bin_dir is not on your PATH; add it to run \"gsbridge\" by name." ;;
esac
if ! have_nautilus_python; then
    echo "Note: Nautilus gets \"Send to phone\" in its Scripts menu. For a \"Send to DEVICE\" item in the file menu,"
    echo "install your distribution's nautilus-python package (Debian, Ubuntu: python3-nautilus; Fedora:"
    echo "nautilus-python) and run install.sh again."
fi
echo 'gsbridge waits while GSConnect holds the KDE Connect ports; "gsbridge takeover" switches GSConnect off (see README).'
