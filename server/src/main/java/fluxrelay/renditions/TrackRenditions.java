package fluxrelay.renditions;

import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.codec.CodecFormatException;
import fluxrelay.media.codec.CodecInfo;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.FeedTap;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.PublishClaim;
import fluxrelay.stream.Publisher;
import fluxrelay.stream.PublisherSlot;
import fluxrelay.stream.StreamRegistry;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes renditions of one room's program from the extra tracks of a multitrack encoder: a tap of the program's hub
 * that publishes each extra video track, with the audio track of the same index (or the default audio track when the
 * encoder sends none for it), into its own rendition hub, as track 0 frames.
 *
 * <p>The audio track of a rendition is chosen when its video starts: the one of the same index if its sequence header
 * came already, else the default track; an audio track of the same index announced later, before any audio frame went
 * out, takes over.
 *
 * <p><b>Names.</b> A rendition is named from its first sequence header ({@link RenditionIds}, e.g. {@code 120p}) and
 * keeps that name until the program's publish ends, whatever later headers say.
 *
 * <p><b>Time.</b> The frames come on the program's timeline (the program hub mapped them with its own frames) and the
 * rendition hubs keep those timestamps ({@link LiveStream#claim(Publisher, Duration, boolean)}), so a rendition's
 * keyframe has the timestamp of the program's keyframe the encoder made with it: what aligned HLS segments rest on.
 *
 * <p><b>Life.</b> When the program's publish stops, every rendition's publish stops with it (its viewers wait, as the
 * program's do); the next publish names its renditions afresh. A rendition hub held by another publisher (a rendition
 * stream name's encoder) is left to it. Renditions cost ingest only: nothing is done per viewer here.
 *
 * <p><b>Threads.</b> Called by the program hub under its lock, on the publishing thread; rendition hubs' locks are taken
 * inside it, never the reverse. Not otherwise thread-safe.
 */
public final class TrackRenditions implements FeedTap {

    private static final Logger log = LoggerFactory.getLogger(TrackRenditions.class);
    /** A rendition hub is taken from a publisher silent this long (a stream-name encoder that went away). */
    private static final Duration TAKEOVER_AFTER = Duration.ofSeconds(5);

    private final LiveStream program;
    private final StreamRegistry streams;
    private final String roomId;
    private final Map<Integer, Rendition> byVideoTrack = new HashMap<>();
    /** The latest audio sequence header of each audio track (0 included), retained. */
    private final Map<Integer, MediaFrame> audioHeaders = new HashMap<>();
    /** Video tracks whose rendition could not be made (no usable header, hub held by another publisher). */
    private final Set<Integer> refused = new HashSet<>();

    /**
     * @param program the room's program hub, which this is to tap
     * @param streams where the rendition hubs are made
     */
    public TrackRenditions(LiveStream program, StreamRegistry streams) {
        this.program = program;
        this.streams = streams;
        this.roomId = program.roomId();
    }

    /** Taps {@code program} with a new instance; call once per program hub, as it is made. */
    public static void attach(LiveStream program, StreamRegistry streams) {
        program.tap(new TrackRenditions(program, streams));
    }

    @Override
    public void onPublishStart(FeedId feed) {
    }

    @Override
    public void onFrame(FeedId feed, MediaFrame frame) {
        if (frame instanceof AudioFrame audio) {
            audio(0, audio);
        }
    }

    @Override
    public void onTrackFrame(FeedId feed, MediaFrame frame) {
        if (frame instanceof VideoFrame video) {
            video(video);
        } else if (frame instanceof AudioFrame audio) {
            audio(audio.track(), audio);
        }
    }

    private void video(VideoFrame video) {
        int track = video.track();
        Rendition rendition = byVideoTrack.get(track);
        if (rendition == null) {
            if (!video.isSequenceHeader() || refused.contains(track)) {
                return; // a rendition starts at its sequence header
            }
            open(video); // publishes the header
            return;
        }
        if (video.isRandomAccessPoint() && !video.isSequenceHeader()) {
            rendition.followShown(program);
        }
        rendition.publish(video.retainedDuplicate().withTrack(0));
    }

    private void audio(int track, AudioFrame audio) {
        if (audio.sequenceHeader()) {
            MediaFrame old = audioHeaders.put(track, audio.retainedDuplicate());
            if (old != null) {
                old.release();
            }
        }
        if (byVideoTrack.isEmpty()) {
            return;
        }
        Rendition own = track == 0 ? null : byVideoTrack.get(track);
        if (own != null && own.audioTrack != track && audio.sequenceHeader() && !own.audioSent) {
            // The encoder's audio track for this rendition announced itself after its video: it replaces the default
            // audio before any audio went out.
            own.audioTrack = track;
            log.info("room {}: rendition {} takes audio track {}", roomId, own.id, track);
        }
        for (Rendition rendition : byVideoTrack.values()) {
            if (rendition.audioTrack == track) {
                rendition.audioSent |= !audio.sequenceHeader();
                rendition.publish(audio.retainedDuplicate().withTrack(0));
            }
        }
    }

    /** Makes the rendition of a video track from its first sequence header and publishes that header (and audio's). */
    private void open(VideoFrame header) {
        int track = header.track();
        int height;
        try {
            height = CodecInfo.fromSequenceHeader(header).height();
        } catch (CodecFormatException | IllegalArgumentException e) {
            height = 0;
        }
        Set<String> taken = new HashSet<>();
        byVideoTrack.values().forEach(r -> taken.add(r.id));
        String id = RenditionIds.of(height, track, taken);
        LiveStream hub = streams.stream(FeedId.rendition(roomId, id), false); // shown as the program is (followShown)
        TrackPublisher publisher = new TrackPublisher();
        PublishClaim claim = hub.claim(publisher, TAKEOVER_AFTER, true);
        if (claim instanceof PublishClaim.Busy busy) {
            refused.add(track);
            log.warn("room {}: rendition {} of video track {} not made: {}", roomId, id, track, busy.description());
            return;
        }
        int audioTrack = audioHeaders.containsKey(track) ? track : 0;
        Rendition rendition = new Rendition(id, audioTrack, ((PublishClaim.Granted) claim).slot(), publisher);
        byVideoTrack.put(track, rendition);
        rendition.followShown(program);
        log.info("room {}: rendition {} from video track {} ({}), audio track {}", roomId, id, track,
                height > 0 ? "height " + height : "height unknown", audioTrack);
        MediaFrame audioHeader = audioHeaders.get(audioTrack);
        rendition.publish(header.retainedDuplicate().withTrack(0));
        if (audioHeader != null) {
            rendition.publish(((AudioFrame) audioHeader.retainedDuplicate()).withTimestamp(header.timestamp()).withTrack(0));
        }
    }

    @Override
    public void onDiscontinuity(FeedId feed) {
        byVideoTrack.values().forEach(r -> r.slot.discontinuity());
    }

    @Override
    public void onPublishStop(FeedId feed) {
        List<Rendition> ended = new ArrayList<>(byVideoTrack.values());
        byVideoTrack.clear();
        refused.clear();
        audioHeaders.values().forEach(MediaFrame::release);
        audioHeaders.clear();
        for (Rendition rendition : ended) {
            rendition.publisher.connected = false;
            rendition.slot.close();
        }
        if (!ended.isEmpty()) {
            log.info("room {}: renditions {} ended with the program's publish", roomId, ended.stream().map(r -> r.id).toList());
        }
    }

    /** The ids of the renditions made now, for tests and logs. */
    public List<String> ids() {
        return byVideoTrack.values().stream().map(r -> r.id).sorted().toList();
    }

    /** One rendition being fed. */
    private static final class Rendition {
        final String id;
        int audioTrack;
        /** An audio frame (not a header) went out: the audio track is settled. */
        boolean audioSent;
        final PublisherSlot slot;
        final TrackPublisher publisher;

        Rendition(String id, int audioTrack, PublisherSlot slot, TrackPublisher publisher) {
            this.id = id;
            this.audioTrack = audioTrack;
            this.slot = slot;
            this.publisher = publisher;
        }

        void publish(MediaFrame frame) {
            publisher.lastActivityNanos = System.nanoTime();
            slot.publish(frame);
        }

        /** The rendition is shown to viewers exactly when the program is (GO LIVE applies to all its qualities). */
        void followShown(LiveStream program) {
            boolean shown = program.shown();
            if (slot.stream().shown() != shown) {
                slot.stream().setShown(shown);
            }
        }
    }

    /** The publisher a rendition hub sees: the program's publish, alive while it is. */
    private static final class TrackPublisher implements Publisher {
        volatile long lastActivityNanos = System.nanoTime();
        volatile boolean connected = true;

        @Override
        public long lastActivityNanos() {
            return lastActivityNanos;
        }

        @Override
        public boolean isConnected() {
            return connected;
        }

        @Override
        public SocketAddress remoteAddress() {
            return null;
        }

        @Override
        public void evict(String reason) {
            connected = false; // ends with the program's publish; an operator ends that one
        }
    }
}
