package fluxrelay.hls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.stream.LiveStream;
import fluxrelay.stream.PublisherSlot;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import fluxrelay.testing.SampleMedia;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a room costs: packaging buffers are taken when the room goes live and given back when the publish
 * ends, so rooms that never publish hold no direct memory and a few KiB of heap each, and deleting rooms
 * gives everything back. Measured on an unpooled allocator, whose figure is exactly the live buffers.
 */
class HlsPackagerMemoryTest {

    private static final int ROOMS = 200;
    private static final long HEAP_PER_ROOM = 8 * 1024;

    private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(true);
    private final StreamRegistry streams = new StreamRegistry(new StreamLimits(8 << 20, 2000));
    private final HlsPackager packager = new HlsPackager(
            new PackagerSettings(Duration.ofSeconds(1), 6, 1 << 20, 2, true, Duration.ofMillis(333)), null, allocator);

    @AfterEach
    void close() {
        streams.close();
        packager.close();
    }

    private long direct() {
        return allocator.metric().usedDirectMemory();
    }

    /** Bytes the calling thread allocated so far (an upper bound of what it made that is still alive). */
    private static long allocatedHere() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void roomsThatNeverPublishHoldNoDirectMemoryAndDeletingThemFreesEverything() {
        packager.attach(streams.stream("warm-up", true)); // loads classes and seeds the name generator
        List<LiveStream> hubs = new ArrayList<>();
        for (int i = 0; i < ROOMS; i++) {
            hubs.add(streams.stream("room-" + i, true));
        }
        long before = allocatedHere();
        hubs.forEach(packager::attach);
        long perRoom = (allocatedHere() - before) / ROOMS;
        System.out.printf("%d rooms packaged to TS and fMP4, never published: %d bytes of heap allocated per room, "
                + "%d bytes of direct memory in all%n", ROOMS, perRoom, direct());
        assertEquals(0, direct(), "rooms that are not live hold no direct memory");
        assertTrue(perRoom < HEAP_PER_ROOM, "heap per room: " + perRoom + " bytes");

        hubs.forEach(hub -> streams.removeRoom(hub.roomId(), "deleted"));
        await().atMost(Duration.ofSeconds(10)).until(() -> packager.snapshot().size() == 1);
        assertTrue(packager.room("room-0").isEmpty(), "a deleted room's packager is gone");
    }

    @Test
    void aPublishTakesItsBuffersAndGivesThemBackWhenItEnds() {
        LiveStream hub = streams.stream("live", true);
        packager.attach(hub);
        PublisherSlot slot = ClipPublisher.claim(hub);
        ClipPublisher.send(slot, SampleMedia.AV_720P);
        await().atMost(Duration.ofSeconds(10)).until(() -> packager.room("live").orElseThrow().playlists().isPresent());
        long live = direct();
        slot.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> packager.room("live").orElseThrow().snapshot().ended());
        // What stays are the segments of both renditions (the playlists' window); the packaging buffers are gone.
        HlsRoom room = packager.room("live").orElseThrow();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertEquals(room.segmentMemory(), direct(), "direct memory after the publish ended is exactly the segments'"));
        long held = room.segmentMemory();
        System.out.printf("one room: %d KiB of direct memory while live, %d KiB of segments after the publish%n",
                live / 1024, held / 1024);

        streams.removeRoom("live", "deleted");
        await().atMost(Duration.ofSeconds(10)).until(() -> direct() == 0);
        assertTrue(packager.room("live").isEmpty());
    }

    @Test
    void aRoomDeletedAndCreatedAgainIsPackagedAgain() {
        packager.attach(streams.stream("again", true));
        streams.removeRoom("again", "deleted");
        LiveStream hub = streams.stream("again", true);
        packager.attach(hub); // at once, before the old packager has seen its hub close
        ClipPublisher.publish(hub, SampleMedia.AV_720P);
        await().atMost(Duration.ofSeconds(10)).until(() -> packager.room("again").flatMap(HlsRoom::playlists)
                .map(p -> p.view().ended()).orElse(false));
        assertEquals(1, packager.snapshot().size());
    }
}
