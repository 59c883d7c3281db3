package fluxrelay.hls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.stream.FeedId;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.PublisherSlot;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import fluxrelay.testing.SampleMedia;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A feed's HLS numbering across packagers (two nodes sharing a position record, as a cluster's failover does): the
 * second packager's first segment goes on at the first one's next sequence number (fMP4: one further), behind an
 * EXT-X-DISCONTINUITY, with the discontinuities counted on, under names of its own; playlist requests are held (not
 * 404) until that segment. A single node's reconnect numbers on as before, and positions are told once per segment.
 */
class HlsContinuityTest {

    private static final PackagerSettings SETTINGS = new PackagerSettings(Duration.ofSeconds(1), 4, 1 << 20, 1, true,
            Duration.ofMillis(333));
    private static final Pattern SEQUENCE = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)");
    private static final Pattern DISCONTINUITY_SEQUENCE = Pattern.compile("#EXT-X-DISCONTINUITY-SEQUENCE:(\\d+)");

    /** The shared record, as Redis holds it in a cluster. */
    private static final class Record implements HlsContinuity {
        final Map<Rendition, HlsStart> positions = new ConcurrentHashMap<>();
        final Map<Rendition, List<HlsStart>> told = new ConcurrentHashMap<>();
        final Map<Rendition, String> prefixes = new ConcurrentHashMap<>();

        @Override
        public Optional<HlsStart> start(FeedId feed, Rendition rendition) {
            return Optional.ofNullable(positions.get(rendition));
        }

        @Override
        public void reached(FeedId feed, Rendition rendition, HlsStart next, String namePrefix) {
            positions.put(rendition, next);
            prefixes.put(rendition, namePrefix);
            told.computeIfAbsent(rendition, r -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(next);
        }
    }

    private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(true);
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private HlsPackager packager(HlsContinuity continuity) {
        HlsPackager packager = new HlsPackager(SETTINGS, null, allocator, continuity);
        closing.add(packager);
        return packager;
    }

    private LiveStream hub(String roomId) {
        StreamRegistry streams = new StreamRegistry(new StreamLimits(8 << 20, 2000));
        closing.add(0, streams);
        return streams.stream(roomId, true);
    }

    private static long number(Pattern pattern, String playlist) {
        Matcher m = pattern.matcher(playlist);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Segment URIs of a playlist (lines without '#'). */
    private static List<String> segments(String playlist) {
        return playlist.lines().filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    @Test
    void aSecondNodeGoesOnFromTheFirstsNumberingWithADiscontinuity() {
        Record record = new Record();
        // Node A: two publishes (an encoder reconnect), so its numbering has a discontinuity of its own.
        HlsPackager a = packager(record);
        LiveStream hubA = hub("room");
        a.attach(hubA);
        ClipPublisher.publish(hubA, SampleMedia.AV_720P);
        ClipPublisher.publish(hubA, SampleMedia.AV_720P);
        HlsRoom roomA = await().atMost(Duration.ofSeconds(10)).until(() -> a.room("room").orElse(null),
                r -> r != null && r.playlists().map(p -> p.media().contains("#EXT-X-ENDLIST")).orElse(false)
                        && r.snapshot().segmentsProduced() >= 8);
        String lastA = roomA.playlists().orElseThrow().media();
        HlsStart tsAt = record.positions.get(HlsContinuity.Rendition.TS);
        HlsStart fmp4At = record.positions.get(HlsContinuity.Rendition.FMP4);
        assertEquals(number(SEQUENCE, lastA) + segments(lastA).size(), tsAt.mediaSequence(), lastA);
        assertEquals(1, tsAt.discontinuitySequence(), "A's reconnect: " + lastA);
        // Once per segment, never per part: as many positions told as segments made.
        assertEquals(roomA.snapshot().segmentsProduced(), record.told.get(HlsContinuity.Rendition.TS).size());
        assertEquals(fmp4At.mediaSequence(), record.told.get(HlsContinuity.Rendition.FMP4).size());

        // Node B takes the room over: held, not 404, until its first segment.
        HlsPackager b = packager(record);
        LiveStream hubB = hub("room");
        b.attach(hubB);
        HlsRoom roomB = b.room("room").orElseThrow();
        PublisherSlot slot = ClipPublisher.claim(hubB);
        await().atMost(Duration.ofSeconds(5)).until(() -> roomB.startHoldMs() > 0);
        assertTrue(roomB.playlists().isEmpty());
        ClipPublisher.send(slot, SampleMedia.AV_720P);
        await().atMost(Duration.ofSeconds(10)).until(() -> roomB.playlists().isPresent() && roomB.lowLatencyPlaylist().isPresent());
        String media = roomB.playlists().orElseThrow().media();
        assertEquals(tsAt.mediaSequence(), number(SEQUENCE, media), media);
        List<String> lines = media.lines().toList();
        int first = lines.indexOf(segments(media).get(0));
        assertTrue(lines.subList(0, first).contains("#EXT-X-DISCONTINUITY"), media);
        assertEquals(1, number(DISCONTINUITY_SEQUENCE, media), media);
        String prefixA = segments(lastA).get(0).substring(0, 9);
        assertFalse(media.contains(prefixA), "B's names are its own: " + media);

        String ll = roomB.lowLatencyPlaylist().orElseThrow().text();
        assertEquals(fmp4At.mediaSequence() + 1, number(SEQUENCE, ll), ll);
        assertTrue(ll.indexOf("#EXT-X-DISCONTINUITY") < ll.indexOf("#EXTINF"), ll);
        assertTrue(ll.contains("#EXT-X-MAP:URI=\""), ll);
        assertFalse(ll.contains(prefixA), ll);
        assertNotEquals(record.prefixes.get(HlsContinuity.Rendition.TS), prefixA);
        slot.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> roomB.startHoldMs() == 0);
    }

    @Test
    void aSingleNodesReconnectNumbersOnAndAPositionItIsPastChangesNothing() {
        Record record = new Record();
        HlsPackager one = packager(record);
        LiveStream hub = hub("solo");
        one.attach(hub);
        ClipPublisher.publish(hub, SampleMedia.AV_720P);
        HlsRoom room = await().atMost(Duration.ofSeconds(10)).until(() -> one.room("solo").orElse(null),
                r -> r != null && r.playlists().map(p -> p.media().contains("#EXT-X-ENDLIST")).orElse(false));
        long before = record.positions.get(HlsContinuity.Rendition.TS).mediaSequence();
        // The record holds this packager's own position: the reconnect goes on by itself, no hold, no jump.
        PublisherSlot slot = ClipPublisher.claim(hub);
        ClipPublisher.send(slot, SampleMedia.AV_720P);
        await().atMost(Duration.ofSeconds(10)).until(() -> record.positions.get(HlsContinuity.Rendition.TS).mediaSequence() > before + 2);
        assertEquals(0, room.startHoldMs());
        String media = room.playlists().orElseThrow().media();
        assertTrue(media.contains("#EXT-X-DISCONTINUITY\n"), media);
        List<String> names = segments(media);
        long firstListed = number(SEQUENCE, media);
        for (int i = 0; i < names.size(); i++) {
            assertTrue(names.get(i).endsWith((firstListed + i) + ".ts"), media);
        }
        slot.close();
    }
}
