package fluxrelay.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The sliding window and the availability of segments after they leave it (RFC 8216 6.2.2). */
class SegmentStoreTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final List<String> freed = new ArrayList<>();
    private final List<ByteBuf> buffers = new ArrayList<>();
    private final SegmentStore store = new SegmentStore(3, 2, clock::get, info -> freed.add(info.name()));

    private void append(long sequence, long durationMs, boolean discontinuity) {
        ByteBuf data = Unpooled.buffer(188).writeZero(188);
        buffers.add(data);
        SegmentInfo info = new SegmentInfo(sequence, "s-" + sequence + ".ts", sequence * 2000, durationMs, discontinuity, 0, 188,
                clock.get());
        store.append(new Segment(info, List.of(new Part(data, sequence * 2000, durationMs, true)), 188), true);
    }

    private boolean available(String name) {
        return store.retain(name, ByteBufAllocator.DEFAULT).map(content -> content.data().release()).isPresent();
    }

    @Test
    void theWindowSlidesAndUnlistedSegmentsStayForTheirDurationPlusThePlaylists() {
        for (long i = 0; i < 5; i++) {
            append(i, 2000, i == 1);
        }
        PlaylistView view = store.view().orElseThrow();
        assertEquals(2, view.mediaSequence());
        assertEquals(List.of("s-2.ts", "s-3.ts", "s-4.ts"), view.segments().stream().map(SegmentInfo::name).toList());
        assertEquals(1, view.discontinuitySequence(), "segment 1's discontinuity left the playlist");
        assertTrue(available("s-0.ts") && available("s-1.ts"), "still downloadable by players with an older playlist");
        // s-1 left at t0 from a playlist of 8 s: available for 2 s + 8 s.
        clock.addAndGet(9_999);
        store.sweep(clock.get());
        assertTrue(available("s-1.ts"));
        clock.addAndGet(2);
        store.sweep(clock.get());
        assertEquals(List.of("s-0.ts", "s-1.ts"), freed);
        assertTrue(!available("s-1.ts") && !available("s-0.ts"));
        assertEquals(0, buffers.get(0).refCnt(), "freed segments give their buffers back");
        assertEquals(3, store.figures().held());
        store.close();
        assertTrue(buffers.stream().allMatch(b -> b.refCnt() == 0));
    }

    @Test
    void theTargetDurationCoversEverySegmentRoundedAndNeverShrinks() {
        append(0, 2000, false);
        assertEquals(2, store.view().orElseThrow().targetDuration());
        append(1, 2499, false);
        assertEquals(2, store.view().orElseThrow().targetDuration(), "2.499 s rounds to 2");
        append(2, 2500, false);
        assertEquals(3, store.view().orElseThrow().targetDuration(), "2.5 s rounds to 3");
        for (long i = 3; i < 10; i++) {
            append(i, 2000, false);
        }
        assertEquals(3, store.view().orElseThrow().targetDuration(), "a playlist's target duration does not go down");
        store.close();
    }

    @Test
    void theEndListComesAndGoesWithThePublish() {
        assertTrue(store.view().isEmpty(), "nothing to list before the first segment");
        append(0, 2000, false);
        store.end();
        assertTrue(store.view().orElseThrow().ended());
        store.reopen();
        assertTrue(!store.view().orElseThrow().ended());
        SegmentStore.Figures figures = store.figures();
        assertEquals(1, figures.produced());
        assertEquals(188, figures.producedBytes());
        store.close();
        append(1, 2000, false); // after close: released at once
        assertTrue(buffers.stream().allMatch(b -> b.refCnt() == 0));
    }
}
