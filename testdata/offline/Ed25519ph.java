import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.EdDSAParameterSpec;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.HexFormat;

/**
 * Ed25519ph (RFC 8032 §5.1, empty context) with the JDK's own SunEC provider: an independent
 * implementation, since OpenSSL 3.0 and Python `cryptography` have no Ed25519ph.
 *
 * <p>Usage: {@code java Ed25519ph.java SEED_HEX MESSAGE_HEX...} prints one signature (hex) per
 * message. The JDK prehashes each message with SHA-512 itself, as Ed25519ph defines.
 */
public class Ed25519ph {
    public static void main(String[] args) throws Exception {
        HexFormat hex = HexFormat.of();
        byte[] seed = hex.parseHex(args[0]);
        KeyFactory kf = KeyFactory.getInstance("Ed25519");
        PrivateKey sk = kf.generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
        for (int i = 1; i < args.length; i++) {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(sk);
            s.setParameter(new EdDSAParameterSpec(true));
            s.update(hex.parseHex(args[i]));
            System.out.println(hex.formatHex(s.sign()));
        }
    }
}
