package io.github.gsbridge.tls;

import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.jcajce.util.ProviderJcaJceHelper;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
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
 * Gives BCJSSE's TLS crypto the JDK's implementations wherever the JDK has the algorithm, and a
 * private BouncyCastle provider instance only for what the JDK lacks under BC's names.
 *
 * <p>With the JDK alone, BCJSSE finds no RSA-PSS (it asks for {@code SHA256withRSAandMGF1}) and so
 * cannot use an RSA key in TLS 1.3 at all, which is GSConnect's RSA identity against any modern
 * peer; nor ChaCha20-Poly1305 ({@code ChaCha7539}, {@code Poly1305}). With BC alone, AES-GCM runs
 * in pure Java, several times slower than the JDK's intrinsics. The BC provider is never
 * registered with {@link java.security.Security}, so nothing else in the process changes.
 */
final class JdkFirstJcaJceHelper extends DefaultJcaJceHelper {
    private static final Logger log = LoggerFactory.getLogger(JdkFirstJcaJceHelper.class);

    private final JcaJceHelper jdk = new DefaultJcaJceHelper();
    private final JcaJceHelper bouncyCastle = new ProviderJcaJceHelper(new BouncyCastleProvider());
    private final Set<String> reportedFallbacks = ConcurrentHashMap.newKeySet();

    @FunctionalInterface
    private interface Creation<T> {
        T using(JcaJceHelper helper) throws GeneralSecurityException;
    }

    private <T> T jdkElseBouncyCastle(String kind, String algorithm, Creation<T> creation)
            throws NoSuchAlgorithmException {
        GeneralSecurityException jdkFailure;
        try {
            return creation.using(jdk);
        } catch (GeneralSecurityException e) {
            jdkFailure = e;
        }
        try {
            T created = creation.using(bouncyCastle);
            if (reportedFallbacks.add(kind + " " + algorithm)) {
                log.debug("TLS crypto: {} {} comes from BouncyCastle, the JDK has none", kind, algorithm);
            }
            return created;
        } catch (GeneralSecurityException e) {
            NoSuchAlgorithmException missing = new NoSuchAlgorithmException(
                    kind + " " + algorithm + " is available neither from the JDK nor from BouncyCastle", e);
            missing.addSuppressed(jdkFailure);
            throw missing;
        }
    }

    @Override
    public Cipher createCipher(String algorithm) throws NoSuchAlgorithmException, NoSuchPaddingException {
        return jdkElseBouncyCastle("Cipher", algorithm, helper -> helper.createCipher(algorithm));
    }

    @Override
    public Mac createMac(String algorithm) throws NoSuchAlgorithmException {
        return jdkElseBouncyCastle("Mac", algorithm, helper -> helper.createMac(algorithm));
    }

    @Override
    public KeyAgreement createKeyAgreement(String algorithm) throws NoSuchAlgorithmException {
        return jdkElseBouncyCastle("KeyAgreement", algorithm, helper -> helper.createKeyAgreement(algorithm));
    }

    @Override
    public AlgorithmParameters createAlgorithmParameters(String algorithm) throws NoSuchAlgorithmException {
        return jdkElseBouncyCastle("AlgorithmParameters", algorithm,
                helper -> helper.createAlgorithmParameters(algorithm));
    }

    @Override
    public KeyGenerator createKeyGenerator(String algorithm) throws NoSuchAlgorithmException {
        return jdkElseBouncyCastle("KeyGenerator", algorithm, helper -> helper.createKeyGenerator(algorithm));
    }

    @Override
    public KeyFactory createKeyFactory(String algorithm) throws NoSuchAlgorithmException {
        return jdkElseBouncyCastle("KeyFactory", algorithm, helper -> helper.createKeyFactory(algorithm));
    }

    @Override
    public SecretKeyFactory createSecretKeyFactory(String algorithm) throws NoSuchAlgorithmException {
        return jdkElseBouncyCastle("SecretKeyFactory", algorithm,
                helper -> helper.createSecretKeyFactory(algorithm));
    }

    @Override
    public KeyPairGenerator createKeyPairGenerator(String algorithm) throws NoSuchAlgorithmException {
        return jdkElseBouncyCastle("KeyPairGenerator", algorithm,
                helper -> helper.createKeyPairGenerator(algorithm));
    }

    @Override
    public MessageDigest createMessageDigest(String algorithm) throws NoSuchAlgorithmException {
        return jdkElseBouncyCastle("MessageDigest", algorithm, helper -> helper.createMessageDigest(algorithm));
    }

    @Override
    public Signature createSignature(String algorithm) throws NoSuchAlgorithmException {
        return jdkElseBouncyCastle("Signature", algorithm, helper -> helper.createSignature(algorithm));
    }
}
