package fluxrelay.testing;

import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.stream.StreamStart;
import fluxrelay.stream.StreamStop;
import fluxrelay.stream.StreamSubscriber;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/** A hub subscriber that records what the server received from a publisher, frame by frame. */
public final class HubRecorder implements StreamSubscriber {

    /** One frame as the hub saw it. */
    public record Frame(int tagType, long timestamp, int size, boolean keyframe, boolean endOfSequence) {
    }

    private final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final List<StreamStart> starts = new CopyOnWriteArrayList<>();
    private final List<StreamStop> stops = new CopyOnWriteArrayList<>();

    @Override
    public Executor executor() {
        return Runnable::run;
    }

    @Override
    public void onStreamStart(StreamStart start) {
        starts.add(start);
    }

    @Override
    public void onFrame(MediaFrame frame) {
        int type = frame instanceof VideoFrame ? 9 : frame instanceof AudioFrame ? 8 : 18;
        boolean key = frame instanceof VideoFrame video && video.isRandomAccessPoint();
        boolean end = frame instanceof VideoFrame video && video.kind() == fluxrelay.media.VideoPacketKind.END_OF_SEQUENCE;
        frames.add(new Frame(type, frame.timestamp(), frame.size(), key, end));
        frame.release();
    }

    @Override
    public void onStreamStop(StreamStop reason) {
        stops.add(reason);
    }

    @Override
    public void onClosed(String reason) {
    }

    public List<Frame> frames() {
        return frames;
    }

    /** Audio and video frames only. */
    public List<Frame> media() {
        return frames.stream().filter(f -> f.tagType() != 18).toList();
    }

    public List<StreamStart> starts() {
        return starts;
    }

    public List<StreamStop> stops() {
        return stops;
    }
}
