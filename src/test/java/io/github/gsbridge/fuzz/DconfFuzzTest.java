package io.github.gsbridge.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.gsbridge.credentials.DconfDump;
import io.github.gsbridge.credentials.DconfFormatException;
import io.github.gsbridge.credentials.GVariantParseException;
import io.github.gsbridge.credentials.GVariantText;
import io.github.gsbridge.credentials.GsconnectSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** GSConnect's dconf tree is edited by users and other programs: its parsers must refuse, not crash. */
class DconfFuzzTest {
    @FuzzTest(maxDuration = "45s")
    void gvariantText(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            GVariantText.parse(text);
        } catch (GVariantParseException refused) {
            // A clear refusal, with a position, is the expected outcome; any other exception is a finding.
        }
    }

    @FuzzTest(maxDuration = "45s")
    void gvariantStringRoundTrip(FuzzedDataProvider data) {
        String value = data.consumeRemainingAsString();
        String formatted;
        try {
            formatted = GVariantText.formatString(value);
        } catch (IllegalArgumentException unrepresentable) {
            return;
        }
        assertEquals(value, GVariantText.parse(formatted));
    }

    @FuzzTest(maxDuration = "45s")
    void dconfDump(FuzzedDataProvider data) {
        String dump = data.consumeRemainingAsString();
        try {
            GsconnectSettings settings = GsconnectSettings.fromDump(DconfDump.parse(dump));
            settings.pairedDevices();
            settings.deviceIds().forEach(settings::deviceKeys);
        } catch (DconfFormatException refused) {
            // Only a broken INI structure refuses the whole dump; a value that cannot be read is left out.
        }
    }
}
