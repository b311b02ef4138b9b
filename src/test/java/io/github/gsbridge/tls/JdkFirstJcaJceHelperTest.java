package io.github.gsbridge.tls;

import org.junit.jupiter.api.Test;

import java.security.NoSuchAlgorithmException;
import java.security.Security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JdkFirstJcaJceHelperTest {
    private final JdkFirstJcaJceHelper helper = new JdkFirstJcaJceHelper();

    @Test
    void bulkCryptoStaysOnTheJdk() throws Exception {
        assertEquals("SunJCE", helper.createCipher("AES/GCM/NoPadding").getProvider().getName());
        assertEquals("SunJCE", helper.createMac("HmacSHA384").getProvider().getName());
        assertEquals("SunEC", helper.createSignature("SHA256withECDSA").getProvider().getName());
    }

    @Test
    void whatTheJdkLacksComesFromBouncyCastle() throws Exception {
        // The names BCJSSE asks for when signing RSA-PSS (TLS 1.3 with an RSA key) and for ChaCha20-Poly1305.
        assertEquals("BC", helper.createSignature("SHA256withRSAandMGF1").getProvider().getName());
        assertEquals("BC", helper.createCipher("ChaCha7539").getProvider().getName());
        assertEquals("BC", helper.createMac("Poly1305").getProvider().getName());
    }

    @Test
    void unknownAlgorithmNamesBothSources() {
        NoSuchAlgorithmException e = assertThrows(NoSuchAlgorithmException.class,
                () -> helper.createSignature("NoSuchSignature"));
        assertEquals("Signature NoSuchSignature is available neither from the JDK nor from BouncyCastle",
                e.getMessage());
    }

    @Test
    void bouncyCastleIsNeverRegisteredProcessWide() throws Exception {
        TlsSockets.create(LocalCertificate.generate("a")).warmUp();

        assertNull(Security.getProvider("BC"));
        assertNull(Security.getProvider("BCJSSE"));
    }
}
