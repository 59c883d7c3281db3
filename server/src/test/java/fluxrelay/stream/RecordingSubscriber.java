package fluxrelay.stream;

import fluxrelay.media.MediaFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/** Records what the hub delivers, releasing each frame as a real subscriber must. */
final class RecordingSubscriber implements StreamSubscriber {

    /** One delivered frame, without its buffer. */
    record Seen(String kind, long timestamp, boolean keyframe) {
    }

    final List<Seen> frames = new ArrayList<>();
    final List<StreamStart> starts = new ArrayList<>();
    final List<StreamStop> stops = new ArrayList<>();
    final List<String> closes = new ArrayList<>();
    /** How many frames had arrived each time the start frames were reported delivered. */
    final List<Integer> startFramesDelivered = new ArrayList<>();
    private final Executor executor;
    private boolean startsWithinSubscribe;

    RecordingSubscriber(Executor executor) {
        this.executor = executor;
    }

    RecordingSubscriber() {
        this(Runnable::run);
    }

    @Override
    public Executor executor() {
        return executor;
    }

    /** Says it may be handed its start within a subscribe (as a viewer subscribing from its own event loop). */
    RecordingSubscriber startingWithinSubscribe() {
        startsWithinSubscribe = true;
        return this;
    }

    @Override
    public boolean startsWithinSubscribe() {
        return startsWithinSubscribe;
    }

    @Override
    public void onStreamStart(StreamStart start) {
        starts.add(start);
    }

    @Override
    public void onFrame(MediaFrame frame) {
        String kind;
        boolean key = false;
        if (frame instanceof fluxrelay.media.VideoFrame v) {
            kind = v.isSequenceHeader() ? "vh" : v.isRandomAccessPoint() ? "key" : "inter";
            key = v.isRandomAccessPoint();
        } else if (frame instanceof fluxrelay.media.AudioFrame a) {
            kind = a.sequenceHeader() ? "ah" : "audio";
        } else {
            kind = "meta";
        }
        frames.add(new Seen(kind, frame.timestamp(), key));
        frame.release();
    }

    /** Recorded among the frames, as kind "jump", to show where it came. */
    @Override
    public void onDiscontinuity() {
        frames.add(new Seen("jump", -1, false));
    }

    @Override
    public void onStartFramesDelivered() {
        startFramesDelivered.add(frames.size());
    }

    @Override
    public void onStreamStop(StreamStop reason) {
        stops.add(reason);
    }

    @Override
    public void onClosed(String reason) {
        closes.add(reason);
    }

    List<String> kinds() {
        return frames.stream().map(Seen::kind).toList();
    }

    List<Long> timestamps() {
        return frames.stream().map(Seen::timestamp).toList();
    }
}
