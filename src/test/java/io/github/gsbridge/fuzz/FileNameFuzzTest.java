package io.github.gsbridge.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.gsbridge.plugin.share.SafeFileName;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A received file name is the peer's choice: whatever it is, the safe name must be a single
 * path element that stays inside the download folder, is not hidden (a dot file in a download
 * folder at $HOME could be a shell's start-up file) and fits a Linux file name.
 */
class FileNameFuzzTest {
    private static final Path DOWNLOADS = Path.of("/downloads");

    @FuzzTest(maxDuration = "45s")
    void sanitiser(FuzzedDataProvider data) {
        int copy = data.consumeInt(0, 1000);
        String untrusted = data.consumeRemainingAsString();
        for (String name : new String[] {SafeFileName.of(untrusted),
                SafeFileName.numbered(SafeFileName.of(untrusted), copy)}) {
            assertFalse(name.isEmpty());
            assertFalse(name.startsWith("."), name);
            assertTrue(name.indexOf('/') < 0 && name.indexOf('\\') < 0 && name.indexOf('\0') < 0, name);
            assertTrue(name.chars().noneMatch(Character::isISOControl), name);
            assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= SafeFileName.MAX_BYTES, name);
            Path target = DOWNLOADS.resolve(name).normalize();
            assertEquals(DOWNLOADS, target.getParent(), name);
            assertEquals(name, target.getFileName().toString());
        }
    }
}
