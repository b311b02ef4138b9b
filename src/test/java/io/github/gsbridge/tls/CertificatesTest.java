package io.github.gsbridge.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CertificatesTest {
    private static X509Certificate selfSigned(String subject, Instant notBefore, Instant notAfter) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair keys = generator.generateKeyPair();
        X500Name name = new X500Name(subject);
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                name, BigInteger.TEN, Date.from(notBefore), Date.from(notAfter), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    @Test
    void commonNameIsTheRawValue() throws Exception {
        Instant now = Instant.now();
        X509Certificate kdeStyle = selfSigned("O=KDE,OU=Kde connect,CN=_afe8a9ee_3f47_4b0f_9e2c_1234567890ab",
                now, now.plusSeconds(60));
        X509Certificate special = selfSigned("CN=a\\,b\\+c", now, now.plusSeconds(60));
        X509Certificate none = selfSigned("O=nobody", now, now.plusSeconds(60));

        assertEquals(Optional.of("_afe8a9ee_3f47_4b0f_9e2c_1234567890ab"), Certificates.commonName(kdeStyle));
        assertEquals(Optional.of("a,b+c"), Certificates.commonName(special));
        assertEquals(Optional.empty(), Certificates.commonName(none));
    }

    @Test
    void sameCertificateComparesDer() throws Exception {
        LocalCertificate one = LocalCertificate.generate("same-id");
        LocalCertificate other = LocalCertificate.generate("same-id");
        X509Certificate reparsed = Pem.parseCertificate(Pem.encode(one.certificate()));

        assertTrue(Certificates.sameCertificate(one.certificate(), reparsed));
        assertFalse(Certificates.sameCertificate(one.certificate(), other.certificate()),
                "a certificate with the same device id but another key is a different peer");
    }

    @Test
    void fingerprintIsColonSeparatedUppercaseSha256() {
        String fingerprint = Certificates.sha256Fingerprint(LocalCertificate.generate("x").certificate());

        assertTrue(fingerprint.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), fingerprint);
    }

    @Test
    void validityWindowIsChecked() throws Exception {
        Instant now = Instant.now();
        X509Certificate expired = selfSigned("CN=old", now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
        X509Certificate future = selfSigned("CN=new", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(10)));
        X509Certificate current = selfSigned("CN=now", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));

        assertFalse(Certificates.isValidNow(expired));
        assertFalse(Certificates.isValidNow(future));
        assertTrue(Certificates.isValidNow(current));
    }
}
