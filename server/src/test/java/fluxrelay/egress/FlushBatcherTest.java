package fluxrelay.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link FlushBatcher} and its {@link FlushPolicy}: one flush per viewer and batch, a wait that grows with the crowd. */
class FlushBatcherTest {

    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void theWaitGrowsWithTheViewersOfTheLastBatchBetweenTheBounds() {
        FlushPolicy policy = new FlushPolicy(Duration.ofMillis(10), Duration.ofMillis(50), 40_000);
        assertEquals(10_000_000, policy.intervalNanos(0));
        assertEquals(10_000_000, policy.intervalNanos(400));
        assertEquals(25_000_000, policy.intervalNanos(1000));
        assertEquals(50_000_000, policy.intervalNanos(2000));
        assertEquals(50_000_000, policy.intervalNanos(8000), "never past the maximum");
        assertEquals(10_000_000, FlushPolicy.fixed(Duration.ofMillis(10)).intervalNanos(8000));
        assertEquals(0, FlushPolicy.fixed(Duration.ZERO).intervalNanos(8000));
        assertFalse(FlushPolicy.fixed(Duration.ZERO).batches());
        assertThrows(IllegalArgumentException.class, () -> new FlushPolicy(Duration.ofMillis(10), Duration.ofMillis(5), 1));
    }

    @Test
    void aBatchFlushesEveryAskingTargetOnceBetweenItsListenerCalls() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        FlushBatcher batcher = loop.submit(() -> {
            FlushBatcher b = FlushBatcher.forLoop(loop, new FlushPolicy(Duration.ofMillis(1), Duration.ofMillis(40), 1000));
            b.addListener(new FlushBatcher.BatchListener() {
                @Override
                public void batchStarting() {
                    events.add("start");
                }

                @Override
                public void batchEnded() {
                    events.add("end");
                }
            });
            for (int i = 0; i < 30; i++) {
                int id = i;
                b.request(() -> events.add("flush" + id));
            }
            return b;
        }).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("end"));
        assertEquals(32, events.size(), events.toString());
        assertEquals("start", events.get(0));
        assertEquals("flush0", events.get(1));
        assertEquals("end", events.get(31));
        assertTrue(batcher.batches());
        assertEquals(30_000_000, loop.submit(batcher::intervalNanos).get(5, TimeUnit.SECONDS),
                "30 viewers at 1,000 flushes a second: the next batch waits 30 ms");
    }

    @Test
    void withoutAnIntervalEveryRequestFlushesAtOnce() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        loop.submit(() -> {
            FlushBatcher b = FlushBatcher.forLoop(loop, FlushPolicy.fixed(Duration.ZERO));
            assertFalse(b.batches());
            b.request(() -> events.add("now"));
            assertEquals(List.of("now"), events);
        }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aFixedWindowKeepsItsLengthHoweverLongItsWritesTake() {
        EmbeddedChannel channel = new EmbeddedChannel();
        try {
            channel.freezeTime();
            EventLoop embedded = channel.eventLoop();
            FlushBatcher batcher = FlushBatcher.forLoop(embedded, FlushPolicy.fixed(Duration.ofMillis(100)));
            List<Long> flushedAt = new ArrayList<>();
            FlushBatcher.Target viewer = new FlushBatcher.Target() {
                @Override
                public void flushNow() {
                    flushedAt.add(TimeUnit.NANOSECONDS.toMillis(embedded.ticker().nanoTime()));
                    channel.advanceTimeBy(40, TimeUnit.MILLISECONDS); // its writes take 40 ms of the window
                    batcher.request(this); // a live stream: more to send by the next tick
                }
            };
            batcher.request(viewer);
            for (int i = 0; i < 120; i++) {
                channel.advanceTimeBy(10, TimeUnit.MILLISECONDS);
                channel.runScheduledPendingTasks();
            }
            assertTrue(flushedAt.size() >= 8, "ticks: " + flushedAt);
            for (int i = 1; i < flushedAt.size(); i++) {
                assertEquals(100, flushedAt.get(i) - flushedAt.get(i - 1), "a window is 100 ms, not 100 + its writes: "
                        + flushedAt);
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void aTargetThatThrowsDoesNotKeepTheOthersFromTheirFlush() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        loop.submit(() -> {
            FlushBatcher b = FlushBatcher.forLoop(loop, FlushPolicy.fixed(Duration.ofMillis(1)));
            b.request(() -> {
                throw new IllegalStateException("a broken viewer");
            });
            b.request(() -> events.add("flushed"));
            b.request(() -> {
                events.add("again");
                b.request(() -> events.add("next tick"));
            });
        }).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("next tick"));
        assertEquals(List.of("flushed", "again", "next tick"), events);
    }
}
