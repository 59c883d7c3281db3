package fluxrelay.ladder;

import fluxrelay.ingest.InternalPublishes;
import fluxrelay.playback.InternalPlays;
import fluxrelay.rooms.PublishRequest;
import fluxrelay.stream.FeedId;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs and checks the stream names of the ladder's own plays and publishes: {@code ladder?room=..&exp=..&sig=..} to
 * read a room's program (application {@link InternalPlays#APP}) and {@code ladder?room=..&rendition=..&exp=..&sig=..}
 * to publish one rung. {@code sig} is HMAC-SHA256 with a secret made at each start of the server and never written
 * anywhere, so only this server makes valid names; a name is good for {@link #VALIDITY} (a restarted process gets
 * fresh ones) and names exactly one feed. Publishes are admitted from loopback addresses only.
 */
public final class LadderSignature implements InternalPlays, InternalPublishes {

    private static final Logger log = LoggerFactory.getLogger(LadderSignature.class);

    /** The stream name of every ladder play and publish (shorter than any stream key, so never one). */
    public static final String NAME = "ladder";
    /** How long a signed name is accepted after it was made. */
    static final Duration VALIDITY = Duration.ofSeconds(60);

    private final byte[] secret;
    private final Clock clock;

    /** A signature with a fresh random secret. */
    public LadderSignature(Clock clock) {
        this(randomSecret(), clock);
    }

    LadderSignature(byte[] secret, Clock clock) {
        this.secret = secret.clone();
        this.clock = clock;
    }

    /** True for the play names this signs (for {@link InternalPlays#either}). */
    public static boolean owns(String name) {
        return NAME.equals(name);
    }

    /** The play name that reads {@code room}'s program, valid for {@link #VALIDITY}. */
    public String playName(String room) {
        long exp = clock.instant().plus(VALIDITY).getEpochSecond();
        return NAME + "?room=" + encode(room) + "&exp=" + exp + "&sig=" + sign("play", room, "", exp);
    }

    /** The publish name that feeds {@code room}'s rendition {@code rendition}, valid for {@link #VALIDITY}. */
    public String publishName(String room, String rendition) {
        long exp = clock.instant().plus(VALIDITY).getEpochSecond();
        return NAME + "?room=" + encode(room) + "&rendition=" + encode(rendition) + "&exp=" + exp + "&sig="
                + sign("publish", room, rendition, exp);
    }

    @Override
    public Optional<FeedId> admit(String name, Map<String, String> query, String from) {
        String room = query.get("room");
        if (!NAME.equals(name) || room == null || !valid("play", room, "", query)) {
            log.warn("{}: ladder play refused: bad or expired signature", from);
            return Optional.empty();
        }
        return Optional.of(FeedId.program(room));
    }

    @Override
    public boolean keepsTimestamps(String name) {
        return NAME.equals(name);
    }

    @Override
    public Optional<FeedId> admit(PublishRequest request) {
        if (!NAME.equals(request.streamName())) {
            return Optional.empty();
        }
        String room = request.query().get("room");
        String rendition = request.query().get("rendition");
        boolean loopback = request.remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
                && inet.getAddress().isLoopbackAddress();
        if (room == null || rendition == null || !loopback || !valid("publish", room, rendition, request.query())) {
            log.warn("{}: ladder publish refused: {}", request.remoteAddress(), loopback ? "bad or expired signature"
                    : "not from a loopback address");
            return Optional.empty();
        }
        return Optional.of(FeedId.rendition(room, rendition));
    }

    private boolean valid(String what, String room, String rendition, Map<String, String> query) {
        String sig = query.get("sig");
        long exp;
        try {
            exp = Long.parseLong(query.getOrDefault("exp", ""));
        } catch (NumberFormatException e) {
            return false;
        }
        long now = clock.instant().getEpochSecond();
        return sig != null && exp >= now && exp <= now + 2 * VALIDITY.toSeconds()
                && MessageDigest.isEqual(sign(what, room, rendition, exp).getBytes(StandardCharsets.US_ASCII),
                sig.getBytes(StandardCharsets.US_ASCII));
    }

    private String sign(String what, String room, String rendition, long exp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String message = what + "\n" + room + "\n" + rendition + "\n" + exp;
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] randomSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
