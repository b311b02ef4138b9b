package io.github.gsbridge.credentials;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GsconnectSettingsTest {
    private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    private static GsconnectSettings settings(String dump) {
        return GsconnectSettings.fromDump(DconfDump.parse(dump));
    }

    private static List<String> pairedIds(GsconnectSettings settings) {
        return settings.pairedDevices().stream().map(PairedDevice::id).toList();
    }

    @Test
    void sampleDump() {
        GsconnectSettings settings = settings(TestResources.read("gsconnect-dump.txt"));

        assertEquals(Optional.of("vm"), settings.name());
        assertEquals(Optional.empty(), settings.enabled(), "enabled is not set in the sample");
        assertEquals(3, settings.deviceIds().size());
        assertEquals(List.of(
                new PairedDevice("_409668b6_0418_40f4_9bf0_709bc753e8c3_", "kdc-harness", "desktop",
                        TestResources.read("peer-a.pem"), Optional.of("lan://10.231.0.1:1716")),
                new PairedDevice("abcdef0123456789abcdef0123456789", "Bob's phone", "phone",
                        TestResources.read("peer-b.pem"), Optional.empty())),
                settings.pairedDevices());
        assertEquals(false, settings.deviceKeys("unpaired0123456789abcdef01234567").get("paired"));
        assertEquals(Map.of(), settings.deviceKeys("nonexistent"));
    }

    @Test
    void pairedRuleNeedsListingPairedTrueAndACertificate() {
        GsconnectSettings settings = settings("""
                [/]
                devices=['ok', 'paired-false', 'empty-cert', 'blank-cert', 'no-cert', 'no-paired-key', 'no-section']
                [device/ok]
                paired=true
                certificate-pem='%1$s'
                [device/not-listed]
                paired=true
                certificate-pem='%1$s'
                [device/paired-false]
                paired=false
                certificate-pem='%1$s'
                [device/empty-cert]
                paired=true
                certificate-pem=''
                [device/blank-cert]
                paired=true
                certificate-pem=' \\n'
                [device/no-cert]
                paired=true
                [device/no-paired-key]
                certificate-pem='%1$s'
                """.formatted(PEM.replace("\n", "\\n")));

        assertEquals(List.of("ok"), pairedIds(settings));
        PairedDevice ok = settings.pairedDevices().get(0);
        assertEquals("ok", ok.name(), "name defaults to the id");
        assertEquals("smartphone", ok.type(), "type defaults to smartphone");
        assertEquals(PEM, ok.certificatePem());
        assertEquals(Optional.empty(), ok.lastConnection());
        assertEquals(List.of("ok", "paired-false", "empty-cert", "blank-cert", "no-cert", "no-paired-key",
                "no-section"), settings.deviceIds());
    }

    @Test
    void wrongTypesMakeTheDeviceUnpairedWithoutFailing() {
        GsconnectSettings settings = settings("""
                [/]
                devices=['good', 'paired-string', 'cert-array', 'name-number', 'type-bool', 'last-connection-int']
                name=42
                enabled='yes'
                [device/good]
                paired=true
                certificate-pem='%1$s'
                [device/paired-string]
                paired='true'
                certificate-pem='%1$s'
                [device/cert-array]
                paired=true
                certificate-pem=['%1$s']
                [device/name-number]
                paired=true
                certificate-pem='%1$s'
                name=7
                [device/type-bool]
                paired=true
                certificate-pem='%1$s'
                type=true
                [device/last-connection-int]
                paired=true
                certificate-pem='%1$s'
                last-connection=1716
                """.formatted(PEM.replace("\n", "\\n")));

        assertEquals(List.of("good"), pairedIds(settings));
        assertEquals(Optional.empty(), settings.name(), "a number is not a name");
        assertEquals(Optional.empty(), settings.enabled(), "a string is not a boolean");
    }

    @Test
    void devicesOfTheWrongTypeMeansNoDevices() {
        assertEquals(List.of(), settings("[/]\ndevices='abc'\n[device/abc]\npaired=true\ncertificate-pem='x'\n")
                .pairedDevices());
        assertEquals(List.of(), settings("[/]\ndevices=[1, 2]\n").deviceIds());
    }

    @Test
    void invalidAndDuplicateDeviceIdsAreDropped() {
        GsconnectSettings settings = settings("[/]\ndevices=['a', '', 'b/c', 'a']\n");
        assertEquals(List.of("a"), settings.deviceIds());
    }

    @Test
    void missingRootSectionMeansDefaults() {
        GsconnectSettings settings = settings("[device/abc]\npaired=true\ncertificate-pem='x'\n");
        assertEquals(Optional.empty(), settings.name());
        assertEquals(List.of(), settings.deviceIds());
        assertEquals(List.of(), settings.pairedDevices(), "a device not in 'devices' is not paired");
        assertTrue(GsconnectSettings.fromDump(Map.of()).pairedDevices().isEmpty());
    }

    @Test
    void unknownKeysAreIgnoredAndRawKeysStayAvailable() {
        GsconnectSettings settings = settings("""
                [/]
                devices=['d']
                some-future-key=@a{ss} {}
                [device/d]
                paired=true
                certificate-pem='x'
                keybindings={'ping': '<Ctrl>p'}
                future=(1, 'two')
                """);
        assertEquals(List.of("d"), pairedIds(settings));
        assertEquals(Map.of("ping", "<Ctrl>p"), settings.deviceKeys("d").get("keybindings"));
        assertEquals(List.of(1L, "two"), settings.deviceKeys("d").get("future"));
    }

    @Test
    void laterChangesToTheInputDoNotLeakIn() {
        Map<String, Object> root = new HashMap<>(Map.of("name", "before"));
        Map<String, Map<String, Object>> sections = new HashMap<>(Map.of("/", root));
        GsconnectSettings settings = GsconnectSettings.fromDump(sections);
        root.put("name", "after");
        sections.put("device/x", Map.of("paired", true));
        assertEquals(Optional.of("before"), settings.name());
        assertEquals(Map.of(), settings.deviceKeys("x"));
    }
}
