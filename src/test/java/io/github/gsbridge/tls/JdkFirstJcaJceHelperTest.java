package io.github.gsbridge.tls;

import org.bouncycastle.jcajce.util.ProviderJcaJceHelper;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JdkFirstJcaJceHelperTest {
    private static final String OURS = "gsbridge-bc-names";
    private final JdkFirstJcaJceHelper helper = new JdkFirstJcaJceHelper();

    @Test
    void bulkCryptoStaysOnTheJdk() throws Exception {
        assertEquals("SunJCE", helper.createCipher("AES/GCM/NoPadding").getProvider().getName());
        assertEquals("SunJCE", helper.createMac("HmacSHA384").getProvider().getName());
        assertEquals("SunEC", helper.createSignature("SHA256withECDSA").getProvider().getName());
    }

    @Test
    void rsaPssUnderBouncyCastlesNamesSignsAndVerifiesAsTheJdksRsassaPss() throws Exception {
        // The names BCJSSE asks for when signing or verifying RSA-PSS (TLS 1.3 with an RSA key), used
        // as it does: made again by name from the first one's provider, parameters set before use.
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        byte[] message = "handshake transcript".getBytes(StandardCharsets.US_ASCII);
        for (String digest : List.of("SHA-256", "SHA-384", "SHA-512")) {
            String name = digest.replace("-", "") + "WITHRSAANDMGF1";
            PSSParameterSpec pss = new PSSParameterSpec(digest, "MGF1", new MGF1ParameterSpec(digest),
                    MessageDigest.getInstance(digest).getDigestLength(), 1);
            Signature first = helper.createSignature(name);
            assertEquals(OURS, first.getProvider().getName());
            Signature signer = new ProviderJcaJceHelper(first.getProvider()).createSignature(name);
            signer.setParameter(pss);
            signer.initSign(keys.getPrivate());
            signer.update(message);
            byte[] signature = signer.sign();

            Signature jdk = Signature.getInstance("RSASSA-PSS");
            jdk.setParameter(pss);
            jdk.initVerify(keys.getPublic());
            jdk.update(message);
            assertTrue(jdk.verify(signature), name);
            Signature verifier = helper.createSignature(name);
            verifier.setParameter(pss);
            verifier.initVerify(keys.getPublic());
            verifier.update(message);
            assertTrue(verifier.verify(signature), name);
        }
    }

    @Test
    void chaCha7539IsRfc7539sChaCha20() throws Exception {
        // The JDK has RFC 7539's ChaCha20 too, under its own name and parameters: the same key stream.
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[32];
        byte[] nonce = new byte[12];
        byte[] data = new byte[64 + 1000];
        random.nextBytes(key);
        random.nextBytes(nonce);
        random.nextBytes(data);
        Cipher jdk = Cipher.getInstance("ChaCha20");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(nonce, 0));
        byte[] expected = jdk.doFinal(data);

        Cipher ours = helper.createCipher("ChaCha7539");
        assertEquals(OURS, ours.getProvider().getName());
        for (int record = 0; record < 2; record++) {
            // as BCJSSE does for each record: key and nonce, then one doFinal
            ours.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha7539"), new IvParameterSpec(nonce), random);
            byte[] out = new byte[data.length];
            assertEquals(data.length, ours.doFinal(data, 0, data.length, out, 0));
            assertArrayEquals(expected, out);
        }
    }

    @Test
    void poly1305GivesRfc7539sTag() throws Exception {
        // RFC 7539, section 2.5.2
        byte[] key = HexFormat.of().parseHex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
        Mac mac = helper.createMac("Poly1305");
        assertEquals(OURS, mac.getProvider().getName());
        mac.init(new SecretKeySpec(key, "Poly1305"));
        mac.update("Cryptographic Forum Research Group".getBytes(StandardCharsets.US_ASCII));
        assertEquals("a8061dc1305136c6c22b8baf0c0127a9", HexFormat.of().formatHex(mac.doFinal()));
    }

    @Test
    void whatBcjsseProbesForButNeverOffersIsRefused() {
        for (String name : List.of("ML-DSA", "SLH-DSA", "SM3withSM2")) {
            assertThrows(NoSuchAlgorithmException.class, () -> helper.createSignature(name));
        }
        assertThrows(NoSuchAlgorithmException.class, () -> helper.createKeyPairGenerator("ML-KEM-768"));
    }

    @Test
    void unknownAlgorithmNamesBothSources() {
        NoSuchAlgorithmException e = assertThrows(NoSuchAlgorithmException.class,
                () -> helper.createSignature("NoSuchSignature"));
        assertEquals("Signature NoSuchSignature is available neither from the JDK nor from gsbridge", e.getMessage());
    }

    @Test
    void nothingIsRegisteredProcessWide() throws Exception {
        TlsSockets.create(LocalCertificate.generate("a")).warmUp();

        assertNull(Security.getProvider("BC"));
        assertNull(Security.getProvider("BCJSSE"));
        assertNull(Security.getProvider(OURS));
    }
}
