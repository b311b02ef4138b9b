// Runs the real upowerd on a fake sysfs made by umockdev: a laptop battery, or none ("desktop").
// Each line on stdin, "PERCENT STATUS" (STATUS as the kernel writes it: Charging, Discharging,
// Full), changes the battery and sends the kernel's "change" uevent, as a real battery does.
// Needs umockdev-wrapper around gjs, which preloads the library that makes the fake sysfs real
// to upowerd. upowerd stops when stdin ends.
imports.gi.versions.UMockdev = '1.0';
const {UMockdev, GLib, Gio} = imports.gi;

const [kind, percent, status] = ARGV;
const FULL_MICROWATT_HOURS = 60000000;
const testbed = UMockdev.Testbed.new();
let battery = null;
if (kind === 'laptop') {
    battery = testbed.add_device('power_supply', 'BAT0', null, [
        'type', 'Battery', 'present', '1', 'scope', 'System', 'technology', 'Li-ion',
        'manufacturer', 'gsbridge', 'model_name', 'TestBattery', 'status', status, 'capacity', percent,
        'energy_full', String(FULL_MICROWATT_HOURS), 'energy_full_design', String(FULL_MICROWATT_HOURS),
        'energy_now', String(FULL_MICROWATT_HOURS * Number(percent) / 100),
        'voltage_now', '12000000', 'power_now', '10000000',
    ], ['POWER_SUPPLY_NAME', 'BAT0']);
}
const upowerd = Gio.Subprocess.new(['/usr/libexec/upowerd'], Gio.SubprocessFlags.NONE);
const loop = new GLib.MainLoop(null, false);
const input = new Gio.DataInputStream({base_stream: new Gio.UnixInputStream({fd: 0, close_fd: false})});

function nextLine() {
    input.read_line_async(GLib.PRIORITY_DEFAULT, null, (stream, result) => {
        const [line] = stream.read_line_finish_utf8(result);
        if (line === null) {
            upowerd.send_signal(15);
            loop.quit();
            return;
        }
        const [newPercent, newStatus] = line.trim().split(' ');
        testbed.set_attribute(battery, 'capacity', newPercent);
        testbed.set_attribute(battery, 'energy_now', String(FULL_MICROWATT_HOURS * Number(newPercent) / 100));
        testbed.set_attribute(battery, 'status', newStatus);
        testbed.uevent(battery, 'change');
        print('changed to ' + line);
        nextLine();
    });
}
nextLine();
loop.run();
