package io.github.gsbridge.tls;

import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.jcajce.util.ProviderJcaJceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKeyFactory;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives BCJSSE's TLS crypto the JDK's implementations, and for what the JDK lacks under the names
 * BCJSSE asks for (RSA-PSS, ChaCha20-Poly1305's parts) {@link BouncyCastleNamesProvider}.
 *
 * <p>Without RSA-PSS BCJSSE cannot use an RSA key in TLS 1.3 at all, which is GSConnect's RSA
 * identity against any modern peer. With BouncyCastle's JCA provider instead, AES-GCM would run in
 * pure Java, several times slower than the JDK's intrinsics, and its tables would stay in memory
 * for good. Everything else BCJSSE probes for at start (ML-KEM, ML-DSA, SLH-DSA, SM2) is refused:
 * none of it is in the groups and signature schemes it offers by default. Nothing is registered
 * with {@link java.security.Security}, so nothing else in the process changes.
 */
final class JdkFirstJcaJceHelper extends DefaultJcaJceHelper {
    private static final Logger log = LoggerFactory.getLogger(JdkFirstJcaJceHelper.class);

    private final JcaJceHelper jdk = new DefaultJcaJceHelper();
    private final JcaJceHelper bouncyCastleNames = new ProviderJcaJceHelper(new BouncyCastleNamesProvider());
    private final Set<String> reportedFallbacks = ConcurrentHashMap.newKeySet();

    @FunctionalInterface
    private interface Creation<T> {
        T using(JcaJceHelper helper) throws GeneralSecurityException;
    }

    private <T> T jdkFirst(String kind, String algorithm, Creation<T> creation)
            throws NoSuchAlgorithmException {
        GeneralSecurityException jdkFailure;
        try {
            return creation.using(jdk);
        } catch (GeneralSecurityException e) {
            jdkFailure = e;
        }
        try {
            T created = creation.using(bouncyCastleNames);
            if (reportedFallbacks.add(kind + " " + algorithm)) {
                log.debug("TLS crypto: {} {} under BouncyCastle's name, the JDK has none", kind, algorithm);
            }
            return created;
        } catch (GeneralSecurityException e) {
            NoSuchAlgorithmException missing = new NoSuchAlgorithmException(
                    kind + " " + algorithm + " is available neither from the JDK nor from gsbridge", e);
            missing.addSuppressed(jdkFailure);
            throw missing;
        }
    }

    @Override
    public Cipher createCipher(String algorithm) throws NoSuchAlgorithmException, NoSuchPaddingException {
        return jdkFirst("Cipher", algorithm, helper -> helper.createCipher(algorithm));
    }

    @Override
    public Mac createMac(String algorithm) throws NoSuchAlgorithmException {
        return jdkFirst("Mac", algorithm, helper -> helper.createMac(algorithm));
    }

    @Override
    public KeyAgreement createKeyAgreement(String algorithm) throws NoSuchAlgorithmException {
        return jdkFirst("KeyAgreement", algorithm, helper -> helper.createKeyAgreement(algorithm));
    }

    @Override
    public AlgorithmParameters createAlgorithmParameters(String algorithm) throws NoSuchAlgorithmException {
        return jdkFirst("AlgorithmParameters", algorithm,
                helper -> helper.createAlgorithmParameters(algorithm));
    }

    @Override
    public KeyGenerator createKeyGenerator(String algorithm) throws NoSuchAlgorithmException {
        return jdkFirst("KeyGenerator", algorithm, helper -> helper.createKeyGenerator(algorithm));
    }

    @Override
    public KeyFactory createKeyFactory(String algorithm) throws NoSuchAlgorithmException {
        return jdkFirst("KeyFactory", algorithm, helper -> helper.createKeyFactory(algorithm));
    }

    @Override
    public SecretKeyFactory createSecretKeyFactory(String algorithm) throws NoSuchAlgorithmException {
        return jdkFirst("SecretKeyFactory", algorithm,
                helper -> helper.createSecretKeyFactory(algorithm));
    }

    @Override
    public KeyPairGenerator createKeyPairGenerator(String algorithm) throws NoSuchAlgorithmException {
        return jdkFirst("KeyPairGenerator", algorithm,
                helper -> helper.createKeyPairGenerator(algorithm));
    }

    @Override
    public MessageDigest createMessageDigest(String algorithm) throws NoSuchAlgorithmException {
        return jdkFirst("MessageDigest", algorithm, helper -> helper.createMessageDigest(algorithm));
    }

    @Override
    public Signature createSignature(String algorithm) throws NoSuchAlgorithmException {
        return jdkFirst("Signature", algorithm, helper -> helper.createSignature(algorithm));
    }
}
