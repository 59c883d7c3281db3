package fluxrelay.metrics;

import fluxrelay.hls.HlsPackager;
import fluxrelay.hls.HlsRoomSnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/** HLS packaging and serving: segments produced, memory held, packaging failures, playlists and segments requested. */
public final class HlsMetrics implements MeterBinder {

    private final HlsPackager packager;
    private final Served served;

    /**
     * What the HLS route counted, since start.
     *
     * @param playlists playlists served
     * @param segments segments and parts served
     * @param bytes segment bytes served
     */
    public record Served(LongSupplier playlists, LongSupplier segments, LongSupplier bytes) {
    }

    public HlsMetrics(HlsPackager packager, Served served) {
        this.packager = packager;
        this.served = served;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("fluxrelay.hls.segments.produced", this, m -> m.sum(HlsRoomSnapshot::segmentsProduced))
                .description("HLS segments finished, all rooms").register(registry);
        FunctionCounter.builder("fluxrelay.hls.produced", this, m -> m.sum(HlsRoomSnapshot::bytesProduced)).baseUnit("bytes")
                .description("HLS segment bytes finished, all rooms").register(registry);
        Gauge.builder("fluxrelay.hls.memory", this, m -> m.sum(HlsRoomSnapshot::memoryHeld)).baseUnit("bytes")
                .description("Memory held by HLS segments, all rooms").register(registry);
        FunctionCounter.builder("fluxrelay.hls.failures", packager, HlsPackager::failures)
                .description("Room packagings ended by an error (the room's HLS answers 503 until its stream restarts)")
                .register(registry);
        FunctionCounter.builder("fluxrelay.hls.playlist.requests", served.playlists(), LongSupplier::getAsLong)
                .description("HLS playlists served").register(registry);
        FunctionCounter.builder("fluxrelay.hls.segment.requests", served.segments(), LongSupplier::getAsLong)
                .description("HLS segments served").register(registry);
        FunctionCounter.builder("fluxrelay.hls.served", served.bytes(), LongSupplier::getAsLong).baseUnit("bytes")
                .description("HLS segment bytes served").register(registry);
    }

    private double sum(ToLongFunction<HlsRoomSnapshot> value) {
        long total = 0;
        for (HlsRoomSnapshot room : packager.snapshot()) {
            total += value.applyAsLong(room);
        }
        return total;
    }
}
