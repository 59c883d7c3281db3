package fluxrelay.cluster;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks an edge's forwarded HLS request to the room's origin: a header value
 * {@code node expiry signature}, the signature being HMAC-SHA256 with the cluster's shared secret over the edge's id,
 * the request path (without the query) and the expiry (Unix seconds). The edge admitted the viewer itself (room,
 * access token, bandwidth policy); the origin skips admission only for a request signed so, good for
 * {@link #VALIDITY}.
 */
public final class HlsSignature {

    /** How long a signed request is accepted after it was made. */
    public static final Duration VALIDITY = Duration.ofSeconds(60);

    private final byte[] secret;
    private final Clock clock;

    public HlsSignature(byte[] secret, Clock clock) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the cluster secret must have at least 16 bytes");
        }
        this.secret = secret.clone();
        this.clock = clock;
    }

    /** The header value for node {@code node} to forward a request for {@code path}. */
    public String sign(String node, String path) {
        if (node.isEmpty() || node.contains(" ")) {
            throw new IllegalArgumentException("a node id without spaces is needed");
        }
        long expires = clock.instant().plus(VALIDITY).getEpochSecond();
        return node + " " + expires + " " + mac(node, path, expires);
    }

    /**
     * Checks a header value for {@code path}.
     *
     * @return empty when valid, else why it is refused (for the log)
     */
    public Optional<String> refusal(String header, String path) {
        String[] fields = header == null ? new String[0] : header.trim().split(" ");
        if (fields.length != 3) {
            return Optional.of("malformed signature header");
        }
        long expires;
        try {
            expires = Long.parseLong(fields[1]);
        } catch (NumberFormatException e) {
            return Optional.of("unreadable expiry");
        }
        byte[] expected = mac(fields[0], path, expires).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, fields[2].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of("bad signature");
        }
        long now = clock.instant().getEpochSecond();
        if (expires < now) {
            return Optional.of("expired " + (now - expires) + " s ago");
        }
        if (expires > now + 2 * VALIDITY.toSeconds()) {
            return Optional.of("expiry too far ahead");
        }
        return Optional.empty();
    }

    private String mac(String node, String path, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String message = "hls\n" + node + "\n" + path + "\n" + expires;
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
