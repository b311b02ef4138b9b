package io.github.gsbridge.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.gsbridge.credentials.DconfDump;
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
        } catch (IllegalArgumentException refused) {
            // GVariantParseException and friends: a clear refusal is the expected outcome.
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
            settings.deviceIds().forEach(settings::receiveDirectory);
        } catch (IllegalArgumentException refused) {
            // DconfFormatException names the section and key.
        }
    }
}
