package fluxrelay.metrics;

import fluxrelay.recording.Recorder;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** Recording: sessions being recorded, bytes written, failures, sessions ended for want of space, free space. */
public final class RecordingMetrics implements MeterBinder {

    private final Recorder recorder;

    public RecordingMetrics(Recorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("fluxrelay.recording.in.progress", recorder, Recorder::inProgress)
                .description("Recordings being written now").register(registry);
        FunctionCounter.builder("fluxrelay.recording.written", recorder, Recorder::bytesWritten).baseUnit("bytes")
                .description("Bytes written to recordings").register(registry);
        FunctionCounter.builder("fluxrelay.recording.failures", recorder, Recorder::failures)
                .description("Recordings that could not be started, written or finalized").register(registry);
        FunctionCounter.builder("fluxrelay.recording.low.space.stops", recorder, Recorder::lowSpaceStops)
                .description("Recordings ended because free space fell below relay.recording.min-free").register(registry);
        Gauge.builder("fluxrelay.recording.free", recorder, Recorder::freeBytes).baseUnit("bytes")
                .description("Free space on the recording directory's file system at the last check").register(registry);
    }
}
