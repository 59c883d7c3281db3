package fluxrelay.cluster;

import fluxrelay.logging.LogText;
import fluxrelay.playback.InternalPlays;
import fluxrelay.stream.FeedId;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
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
 * Signs and checks the play name of an internal pull: {@code pull?node=..&room=..&feed=..&exp=..&sig=..}, where
 * {@code sig} is HMAC-SHA256 with the cluster's shared secret over the edge node's id, the room, the feed and the
 * expiry (Unix seconds). A pull of a quality rendition of the program adds {@code &rendition=..}, signed too (after
 * the expiry, so a program's or an input's signature reads as before). Only a holder of the secret can make one, it
 * names exactly one hub, and it is good for {@link #VALIDITY} (long enough for clocks a little apart, short enough that
 * a leaked one is soon useless).
 */
public final class PullSignature implements InternalPlays {

    private static final Logger log = LoggerFactory.getLogger(PullSignature.class);

    /** How long a signed play name is accepted after it was made. */
    public static final Duration VALIDITY = Duration.ofSeconds(60);
    /** The stream name part of a signed play name. */
    static final String NAME = "pull";

    private final byte[] secret;
    private final Clock clock;

    public PullSignature(byte[] secret, Clock clock) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the cluster secret must have at least 16 bytes");
        }
        this.secret = secret.clone();
        this.clock = clock;
    }

    /** The outcome of {@link #verify}. */
    public sealed interface Verdict {
        /** A good signature: the edge {@code node} may read {@code feed}. */
        record Valid(FeedId feed, String node) implements Verdict {
        }

        /** Refused; {@code reason} is for the log. */
        record Invalid(String reason) implements Verdict {
        }
    }

    /** A signed play name for {@code node} to read {@code feed}, valid for {@link #VALIDITY} from now. */
    public String playName(String node, FeedId feed) {
        long expires = clock.instant().plus(VALIDITY).getEpochSecond();
        return NAME + "?node=" + encode(node) + "&room=" + encode(feed.room()) + "&feed=" + encode(feed.feed())
                + (feed.isRendition() ? "&rendition=" + encode(feed.rendition()) : "") + "&exp=" + expires
                + "&sig=" + sign(node, feed.room(), feed.feed(), feed.rendition(), expires);
    }

    /** Checks the query of a play name (decoded parameters). */
    public Verdict verify(Map<String, String> query) {
        String node = query.get("node");
        String room = query.get("room");
        String feed = query.get("feed");
        String exp = query.get("exp");
        String sig = query.get("sig");
        String rendition = query.getOrDefault("rendition", FeedId.NO_RENDITION);
        if (node == null || room == null || feed == null || exp == null || sig == null || room.isEmpty() || feed.isEmpty()) {
            return new Verdict.Invalid("incomplete signed name");
        }
        long expires;
        try {
            expires = Long.parseLong(exp);
        } catch (NumberFormatException e) {
            return new Verdict.Invalid("unreadable expiry");
        }
        FeedId hub;
        try {
            hub = new FeedId(room, feed, rendition);
        } catch (IllegalArgumentException e) {
            return new Verdict.Invalid("a rendition of something else than the program");
        }
        byte[] expected = sign(node, room, feed, rendition, expires).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.US_ASCII))) {
            return new Verdict.Invalid("bad signature");
        }
        long now = clock.instant().getEpochSecond();
        if (expires < now) {
            return new Verdict.Invalid("expired " + (now - expires) + " s ago");
        }
        if (expires > now + 2 * VALIDITY.toSeconds()) {
            return new Verdict.Invalid("expiry too far ahead");
        }
        return new Verdict.Valid(hub, node);
    }

    @Override
    public Optional<FeedId> admit(String name, Map<String, String> query, String from) {
        Verdict verdict = NAME.equals(name) ? verify(query) : new Verdict.Invalid("not a signed pull name");
        if (verdict instanceof Verdict.Valid valid) {
            log.info("{}: internal pull of room {} by node {} admitted", from, valid.feed(), LogText.of(valid.node()));
            return Optional.of(valid.feed());
        }
        log.warn("{}: internal pull refused: {}", from, ((Verdict.Invalid) verdict).reason());
        return Optional.empty();
    }

    private String sign(String node, String room, String feed, String rendition, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String message = node + "\n" + room + "\n" + feed + "\n" + expires
                    + (rendition.isEmpty() ? "" : "\n" + rendition);
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
