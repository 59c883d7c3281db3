package fluxrelay.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies viewer access tokens. A token is {@code PAYLOAD.SIGNATURE}, both base64url without padding,
 * where the payload is the UTF-8 text of five lines joined by a line feed (no trailing one):
 * <pre>
 * fluxrelay-access-1
 * ROOM-ID
 * EXPIRY (Unix seconds)
 * ATTENDEE-ID (empty: none)
 * CLIENT-ADDRESS (empty: any)
 * </pre>
 * and the signature is HMAC-SHA256 of the payload bytes with a shared secret (its UTF-8 bytes). Any of several
 * secrets is accepted, so the platform can rotate: add the new secret, sign with it, retire the old one once its
 * tokens have expired. The format needs nothing beyond {@code openssl} to produce (see docs/access.md).
 */
public final class AccessTokens {

    /** First line of every payload: the format's version. */
    static final String VERSION = "fluxrelay-access-1";
    /** Longest token read; anything longer is malformed without being decoded. */
    static final int MAX_TOKEN_LENGTH = 2048;
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final List<byte[]> secrets;

    /** @param secrets accepted secrets, at least one; the first signs */
    public AccessTokens(List<String> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("no access token secret");
        }
        this.secrets = secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /**
     * A token for {@code room} valid until {@code expires}, signed with the first secret.
     *
     * @param attendee the attendee id, or null; no line feed
     * @param address the client address it binds to, or null; no line feed
     */
    public String sign(String room, Instant expires, String attendee, String address) {
        String payload = String.join("\n", VERSION, Objects.requireNonNull(room), Long.toString(expires.getEpochSecond()),
                field(attendee), field(address));
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(mac(secrets.get(0), bytes));
    }

    /**
     * Checks {@code token} for a play of {@code room} from {@code address} at {@code now}: signature, room, expiry
     * and address binding, in that order (revocation is the policy's). Never throws for a client's input.
     *
     * @param token the token as the URL carried it, or null
     * @param address the client's address (an IP literal), or null when unknown (a bound token is refused then)
     */
    public AccessCheck verify(String token, String room, String address, Instant now) {
        if (token == null || token.isEmpty()) {
            return new AccessCheck.Denied(AccessRefusal.MISSING);
        }
        int dot = token.indexOf('.');
        if (token.length() > MAX_TOKEN_LENGTH || dot <= 0 || dot != token.lastIndexOf('.')) {
            return new AccessCheck.Denied(AccessRefusal.MALFORMED);
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = DECODER.decode(token.substring(0, dot));
            signature = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return new AccessCheck.Denied(AccessRefusal.MALFORMED);
        }
        if (secrets.stream().noneMatch(secret -> MessageDigest.isEqual(mac(secret, payload), signature))) {
            return new AccessCheck.Denied(AccessRefusal.BAD_SIGNATURE);
        }
        String[] fields = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
        if (fields.length != 5 || !fields[0].equals(VERSION)) {
            return new AccessCheck.Denied(AccessRefusal.MALFORMED);
        }
        long expiry;
        try {
            expiry = Long.parseLong(fields[2]);
        } catch (NumberFormatException e) {
            return new AccessCheck.Denied(AccessRefusal.MALFORMED);
        }
        if (!fields[1].equals(room)) {
            return new AccessCheck.Denied(AccessRefusal.OTHER_ROOM);
        }
        if (now.getEpochSecond() >= expiry) {
            return new AccessCheck.Denied(AccessRefusal.EXPIRED);
        }
        String bound = fields[4].isEmpty() ? null : fields[4];
        if (bound != null && !sameAddress(bound, address)) {
            return new AccessCheck.Denied(AccessRefusal.WRONG_ADDRESS);
        }
        return new AccessCheck.Granted(new AccessClaims(fields[1], Instant.ofEpochSecond(expiry),
                fields[3].isEmpty() ? null : fields[3], bound));
    }

    private static String field(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a token field may not hold a line feed");
        }
        return value;
    }

    /** Equal addresses, whichever way an IP literal is written ({@code ::1} and {@code 0:0:0:0:0:0:0:1}). */
    static boolean sameAddress(String bound, String actual) {
        if (actual == null) {
            return false;
        }
        if (bound.equalsIgnoreCase(actual)) {
            return true;
        }
        if (!literal(bound) || !literal(actual)) {
            return false;
        }
        try {
            // IP literals only (checked above): no name lookup happens.
            return InetAddress.getByName(bound).equals(InetAddress.getByName(actual));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean literal(String address) {
        if (address.length() > 45) {
            return false;
        }
        return address.indexOf(':') >= 0
                ? address.chars().allMatch(c -> c == '.' || c == ':' || Character.digit(c, 16) >= 0)
                : address.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static byte[] mac(byte[] secret, byte[] payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
