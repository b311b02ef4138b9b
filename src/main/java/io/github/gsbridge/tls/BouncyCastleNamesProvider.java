package io.github.gsbridge.tls;

import org.bouncycastle.crypto.StreamCipher;
import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.MacSpi;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.AlgorithmParameterSpec;

/**
 * What BCJSSE asks for under BouncyCastle's names and the JDK has under none of them: RSA-PSS
 * ({@code SHA256WITHRSAANDMGF1} and the SHA-384 and SHA-512 ones), which becomes the JDK's
 * {@code RSASSA-PSS}, and ChaCha20-Poly1305's parts ({@code ChaCha7539}, {@code Poly1305}), which are
 * BouncyCastle's own engines without its JCA provider. That provider holds about 4 MiB of tables
 * and loads some 500 classes, and BCJSSE asks for ChaCha7539 at every handshake (to see whether it
 * may offer the suite), so going through it would keep it in every running daemon.
 *
 * <p>BCJSSE makes a signature by name, then makes it again from the first one's provider, so the
 * names must resolve within one provider; it sets the PSS parameters (digest, MGF1, salt length)
 * on every such signature before using it, which is all the JDK's needs. It uses ChaCha7539 as a
 * stream cipher, initialised with key and nonce for each record, and Poly1305 as a MAC keyed per
 * record.
 */
final class BouncyCastleNamesProvider extends Provider {
    private static final long serialVersionUID = 1L;

    BouncyCastleNamesProvider() {
        super("gsbridge-bc-names", "1", "RSA-PSS from the JDK, ChaCha7539 and Poly1305 from BouncyCastle's engines");
        for (String digest : new String[] {"SHA256", "SHA384", "SHA512"}) {
            putService(new Made(this, "Signature", digest + "WITHRSAANDMGF1",
                    () -> new JdkRsaPss(Signature.getInstance("RSASSA-PSS"))));
        }
        putService(new Made(this, "Cipher", "ChaCha7539", ChaCha7539::new));
        putService(new Made(this, "Mac", "Poly1305", Poly1305Mac::new));
    }

    @FunctionalInterface
    private interface Maker {
        Object make() throws NoSuchAlgorithmException;
    }

    /** Made without reflection, so the implementations need not be public. */
    private static final class Made extends Provider.Service {
        private final Maker maker;

        Made(Provider provider, String type, String algorithm, Maker maker) {
            super(provider, type, algorithm, BouncyCastleNamesProvider.class.getName() + "." + algorithm, null, null);
            this.maker = maker;
        }

        @Override
        public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
            return maker.make();
        }
    }

    private static final class JdkRsaPss extends SignatureSpi {
        private final Signature jdk;

        JdkRsaPss(Signature jdk) {
            this.jdk = jdk;
        }

        @Override
        protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
            jdk.initVerify(publicKey);
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
            jdk.initSign(privateKey);
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey, SecureRandom random) throws InvalidKeyException {
            jdk.initSign(privateKey, random);
        }

        @Override
        protected void engineUpdate(byte b) throws SignatureException {
            jdk.update(b);
        }

        @Override
        protected void engineUpdate(byte[] bytes, int offset, int length) throws SignatureException {
            jdk.update(bytes, offset, length);
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            return jdk.sign();
        }

        @Override
        protected boolean engineVerify(byte[] signature) throws SignatureException {
            return jdk.verify(signature);
        }

        @Override
        protected void engineSetParameter(AlgorithmParameterSpec parameters) throws InvalidAlgorithmParameterException {
            jdk.setParameter(parameters);
        }

        @Override
        protected AlgorithmParameters engineGetParameters() {
            return jdk.getParameters();
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String name, Object value) {
            throw new InvalidParameterException("RSASSA-PSS takes its parameters as a PSSParameterSpec");
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String name) {
            throw new InvalidParameterException("RSASSA-PSS takes its parameters as a PSSParameterSpec");
        }
    }

    /** RFC 7539's ChaCha20: a 256-bit key and a 96-bit nonce (given as the IV), no mode, no padding. */
    private static final class ChaCha7539 extends CipherSpi {
        private final StreamCipher engine = new ChaCha7539Engine();
        private byte[] nonce;

        @Override
        protected void engineSetMode(String mode) throws NoSuchAlgorithmException {
            if (!mode.equalsIgnoreCase("NONE")) {
                throw new NoSuchAlgorithmException("ChaCha7539 is a stream cipher: no mode " + mode);
            }
        }

        @Override
        protected void engineSetPadding(String padding) throws NoSuchPaddingException {
            if (!padding.equalsIgnoreCase("NoPadding")) {
                throw new NoSuchPaddingException("ChaCha7539 is a stream cipher: no padding " + padding);
            }
        }

        @Override
        protected int engineGetBlockSize() {
            return 0;
        }

        @Override
        protected int engineGetOutputSize(int inputLength) {
            return inputLength;
        }

        @Override
        protected byte[] engineGetIV() {
            return nonce == null ? null : nonce.clone();
        }

        @Override
        protected AlgorithmParameters engineGetParameters() {
            return null;
        }

        @Override
        protected void engineInit(int mode, Key key, SecureRandom random) throws InvalidKeyException {
            throw new InvalidKeyException("ChaCha7539 needs its nonce as an IvParameterSpec");
        }

        @Override
        protected void engineInit(int mode, Key key, AlgorithmParameterSpec parameters, SecureRandom random)
                throws InvalidKeyException, InvalidAlgorithmParameterException {
            if (!(parameters instanceof IvParameterSpec iv)) {
                throw new InvalidAlgorithmParameterException("ChaCha7539 needs its nonce as an IvParameterSpec");
            }
            byte[] encoded = key.getEncoded();
            if (encoded == null || encoded.length != 32) {
                throw new InvalidKeyException("ChaCha7539 takes a 256-bit key");
            }
            if (iv.getIV().length != 12) {
                throw new InvalidAlgorithmParameterException("ChaCha7539 takes a 96-bit nonce");
            }
            nonce = iv.getIV();
            engine.init(mode == Cipher.ENCRYPT_MODE || mode == Cipher.WRAP_MODE,
                    new ParametersWithIV(new KeyParameter(encoded), nonce));
        }

        @Override
        protected void engineInit(int mode, Key key, AlgorithmParameters parameters, SecureRandom random)
                throws InvalidAlgorithmParameterException {
            throw new InvalidAlgorithmParameterException("ChaCha7539 needs its nonce as an IvParameterSpec");
        }

        @Override
        protected byte[] engineUpdate(byte[] input, int offset, int length) {
            byte[] output = new byte[length];
            engine.processBytes(input, offset, length, output, 0);
            return output;
        }

        @Override
        protected int engineUpdate(byte[] input, int offset, int length, byte[] output, int outputOffset)
                throws ShortBufferException {
            if (output.length - outputOffset < length) {
                throw new ShortBufferException("ChaCha7539 needs " + length + " bytes of output");
            }
            return engine.processBytes(input, offset, length, output, outputOffset);
        }

        /** As a JCA cipher does: the end of one message, and the key stream starts over for the next. */
        @Override
        protected byte[] engineDoFinal(byte[] input, int offset, int length) {
            byte[] output = engineUpdate(input, offset, length);
            engine.reset();
            return output;
        }

        @Override
        protected int engineDoFinal(byte[] input, int offset, int length, byte[] output, int outputOffset)
                throws ShortBufferException {
            int written = engineUpdate(input, offset, length, output, outputOffset);
            engine.reset();
            return written;
        }
    }

    private static final class Poly1305Mac extends MacSpi {
        private final Poly1305 mac = new Poly1305();

        @Override
        protected int engineGetMacLength() {
            return mac.getMacSize();
        }

        @Override
        protected void engineInit(Key key, AlgorithmParameterSpec parameters)
                throws InvalidKeyException, InvalidAlgorithmParameterException {
            if (parameters != null) {
                throw new InvalidAlgorithmParameterException("Poly1305 as used by ChaCha20-Poly1305 takes no parameters");
            }
            byte[] encoded = key.getEncoded();
            if (encoded == null || encoded.length != 32) {
                throw new InvalidKeyException("Poly1305 takes a 256-bit one-time key");
            }
            mac.init(new KeyParameter(encoded));
        }

        @Override
        protected void engineUpdate(byte input) {
            mac.update(input);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int length) {
            mac.update(input, offset, length);
        }

        @Override
        protected byte[] engineDoFinal() {
            byte[] tag = new byte[mac.getMacSize()];
            mac.doFinal(tag, 0);
            return tag;
        }

        @Override
        protected void engineReset() {
            mac.reset();
        }
    }
}
