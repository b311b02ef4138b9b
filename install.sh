#!/bin/sh
# Installs gsbridge for the current user, without root:
#   ~/.local/share/gsbridge/gsbridge.jar               the program
#   ~/.local/share/gsbridge/gsbridge.jsa               its class-data archive (made here; a faster start)
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
completion_dir=$data/bash-completion/completions
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
        "$dbus_dir" "$interface_dir" "$data/dbus-1" "$completion_dir" "$data/bash-completion" \
        "$unit_dir" "$config/systemd" "$autostart_dir" "$bin_dir" \
        "$data" "$HOME/.local" "$config"; do
        rmdir "$dir" 2>/dev/null || true
    done
}

if [ "$action" = uninstall ]; then
    if have_systemd; then
        systemctl --user disable --now gsbridge.service >/dev/null 2>&1 || true
    fi
    rm -f "$jar_dir/gsbridge.jar" "$jar_dir/gsbridge.jsa" "$launcher" "$unit_dir/gsbridge.service" "$dbus_dir/io.github.gsbridge.service" \
        "$interface_dir"/io.github.gsbridge.*.xml "$completion_dir/gsbridge" "$extension_dir/gsbridge-nautilus.py" \
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

# Whether this java starts with these options (some exist only in newer updates of Java 17).
java_accepts() {
    "$java" "$@" -version >/dev/null 2>&1
}

# JVM options: the defaults size the heap like a server's (~180 MiB idle, the heap climbing to
# hundreds of MiB during a transfer); these keep the heap flat at the same transfer speed. The
# second group is for an idle daemon: without it the JVM wakes ~25 times a second (performance
# counters sampled every 50 ms, monitor deflation every 250 ms, a safepoint every second), which
# keeps a laptop's CPU out of its deep sleep states; monitors are still deflated every minute, and
# jcmd PID still works without the performance counters (jps no longer lists gsbridge). The native
# heap trim, once a minute, gives back what start-up and transfers left in malloc's arenas (up to
# ~25 MiB; README: Benchmarks).
# GSBRIDGE_JAVA_OPTS replaces them. ExitOnOutOfMemoryError stays whatever they are: a daemon out of
# memory may have lost any of its threads (the one accepting connections, say), so it ends and
# systemd restarts it.
java_opts="-XX:+UseSerialGC -Xms16m -Xmx192m -XX:ReservedCodeCacheSize=48m -Xss512k"
idle_opts="-XX:-UsePerfData -XX:+UnlockDiagnosticVMOptions -XX:AsyncDeflationInterval=0 -XX:GuaranteedSafepointInterval=0"
# shellcheck disable=SC2086
if java_accepts $idle_opts; then
    java_opts="$java_opts $idle_opts"
fi
if java_accepts -XX:TrimNativeHeapInterval=60000; then
    java_opts="$java_opts -XX:TrimNativeHeapInterval=60000"
fi

# Class-data sharing: a run of the daemon records the classes it loads until it is up (BouncyCastle,
# dbus-java, Jackson) in an archive that later starts map instead of loading and verifying them
# again. It is made for this jar and this java; the JVM silently ignores it after either changes
# (running install.sh again makes a new one). Made in a scratch home with its own identity, ports
# and session bus, so it neither meets a running gsbridge nor shows up on the network.
archive=$jar_dir/gsbridge.jsa
make_archive() {
    scratch=$(mktemp -d)
    mkdir -m 700 "$scratch/run"
    bus=""
    bus_pid=""
    if command -v dbus-daemon >/dev/null 2>&1; then
        dbus-daemon --session --nofork --nopidfile --address="unix:path=$scratch/bus" >/dev/null 2>&1 &
        bus_pid=$!
        bus="unix:path=$scratch/bus"
        tries=0
        while [ ! -S "$scratch/bus" ] && [ $tries -lt 50 ]; do
            sleep 0.1
            tries=$((tries + 1))
        done
    fi
    port=$(( $(od -An -N2 -tu2 /dev/urandom) % 20000 + 30000 ))
    # shellcheck disable=SC2086
    env -i HOME="$scratch" XDG_CONFIG_HOME="$scratch/.config" XDG_RUNTIME_DIR="$scratch/run" PATH="$PATH" \
        ${bus:+DBUS_SESSION_BUS_ADDRESS="$bus"} \
        "$java" $java_opts -XX:ArchiveClassesAtExit="$archive.new" -jar "$jar_dir/gsbridge.jar" daemon \
        --identity own --name gsbridge-install --udp-port "$port" --peer-udp-port "$port" \
        --tcp-ports "$((port + 1))-$((port + 20))" --payload-ports "$((port + 21))-$((port + 40))" \
        --broadcast 127.0.0.1 --no-desktop-notifications >"$scratch/log" 2>&1 </dev/null &
    daemon_pid=$!
    tries=0
    while ! grep -q " is up: " "$scratch/log" && kill -0 "$daemon_pid" 2>/dev/null && [ $tries -lt 600 ]; do
        sleep 0.1
        tries=$((tries + 1))
    done
    kill -TERM "$daemon_pid" 2>/dev/null || true
    wait "$daemon_pid" 2>/dev/null || true
    [ -z "$bus_pid" ] || kill -TERM "$bus_pid" 2>/dev/null || true
    [ -z "$bus_pid" ] || wait "$bus_pid" 2>/dev/null || true
    if grep -q " is up: " "$scratch/log" && [ -s "$archive.new" ]; then
        mv "$archive.new" "$archive"
    else
        rm -f "$archive.new"
        echo "Note: no class-data archive (gsbridge starts without it, a little slower)."
    fi
    rm -rf "$scratch"
}
rm -f "$archive"
echo "Preparing gsbridge's class-data archive (a faster start)..."
make_archive

# The launcher names java and the jar by full path: systemd and D-Bus start it with a minimal PATH.
# Two malloc arenas instead of glibc's one per thread (up to 16 on two cores): each arena keeps
# freed memory of its own, ~2 MiB in all for an idle gsbridge; Java code hardly calls malloc.
cat >"$launcher" <<LAUNCHER
#!/bin/sh
# Written by gsbridge's install.sh.
MALLOC_ARENA_MAX=\${MALLOC_ARENA_MAX:-2}
export MALLOC_ARENA_MAX
exec "$java" -XX:+ExitOnOutOfMemoryError \${GSBRIDGE_JAVA_OPTS:-$java_opts} -XX:SharedArchiveFile="$archive" \\
  -jar "$jar_dir/gsbridge.jar" "\$@"
LAUNCHER
chmod 755 "$launcher"

sed "s|^ExecStart=.*|ExecStart=$launcher daemon|" "$here/desktop/gsbridge.service" >"$unit_dir/gsbridge.service"
sed "s|^Exec=.*|Exec=$launcher daemon|" "$here/dbus/io.github.gsbridge.service" >"$dbus_dir/io.github.gsbridge.service"
# The daemon's interfaces, then each plugin's own (kept beside its package's resources).
rm -f "$interface_dir"/io.github.gsbridge.*.xml
cp "$here"/dbus/io.github.gsbridge.*.xml "$interface_dir/"
for file in "$here"/src/main/resources/io/github/gsbridge/plugin/*/io.github.gsbridge.*.xml; do
    [ -e "$file" ] && cp "$file" "$interface_dir/"
done
# Completion of commands, options and device-less arguments, made from the command line's own declarations.
mkdir -p "$completion_dir"
"$launcher" completion >"$completion_dir/gsbridge"
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
