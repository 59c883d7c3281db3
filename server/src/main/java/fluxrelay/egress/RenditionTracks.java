package fluxrelay.egress;

import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.ScriptFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.StreamStart;
import fluxrelay.stream.StreamStop;
import fluxrelay.stream.StreamSubscriber;
import fluxrelay.stream.Subscription;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The renditions one viewer of a program receives besides it, each as a numbered track of the same connection: one
 * subscription per rendition hub, whose frames go to the viewer's {@link Owner} with the track id. The program itself
 * is track 0 and goes its usual way; this only adds.
 *
 * <p><b>Numbering.</b> Renditions are numbered from 1 in the order {@link #follow} first sees them; a rendition keeps its
 * number for the whole play, even while its hub is silent. Given the sorted list of a room's renditions at the play, the
 * numbers follow the rendition ids' order; one that appears later gets the next number.
 *
 * <p><b>Time.</b> Rendition hubs keep the program's timestamps, so a track's frames are put on the viewer's timeline
 * ({@link Owner#timelineBase()}) as the program's are. A track starts at its first keyframe at or after the first
 * program frame the viewer was sent, preceded by its latest sequence headers; its timestamps never go back.
 *
 * <p><b>Slow viewers.</b> The program's drop policy is the viewer's own; a track simply stops while the channel is not
 * writable and starts again at its next keyframe, with its sequence headers.
 *
 * <p>Runs on the viewer's event loop, like the viewer; frames queued for a track after {@link #close} are released.
 */
public final class RenditionTracks {

    /** The viewer the tracks are written to. */
    public interface Owner {

        /** The viewer's event loop. */
        Executor executor();

        /** The room timestamp of the first program frame the viewer was sent (its time 0), or -1 before it. */
        long timelineBase();

        /** Whether a track frame may be written now: the viewer plays on and its channel takes writes. */
        boolean writable();

        /**
         * Writes {@code frame} (already on the viewer's timeline) as track {@code track}; takes its reference, releasing
         * it when the protocol cannot carry the frame.
         */
        void writeTrack(int track, MediaFrame frame);
    }

    private final Owner owner;
    private final Map<String, Track> tracks = new LinkedHashMap<>();
    private boolean paused;
    private boolean closed;

    public RenditionTracks(Owner owner) {
        this.owner = owner;
    }

    /**
     * Follows every rendition of {@code ids} not followed yet, in that order, numbering it after the last;
     * {@code hubs} gives a rendition's hub. At most 255 tracks (a UI8 track id); later renditions are left out.
     */
    public void follow(List<String> ids, Function<String, LiveStream> hubs) {
        for (String id : ids) {
            if (closed || tracks.size() >= 255) {
                return;
            }
            if (!tracks.containsKey(id)) {
                Track track = new Track(tracks.size() + 1);
                tracks.put(id, track);
                track.hub = hubs.apply(id);
                if (!paused) {
                    track.subscribe();
                }
            }
        }
    }

    /** Rendition id to track id, in track order. */
    public Map<String, Integer> numbers() {
        Map<String, Integer> numbers = new LinkedHashMap<>();
        tracks.forEach((id, track) -> numbers.put(id, track.number));
        return Collections.unmodifiableMap(numbers);
    }

    /** Stops the tracks while the viewer is paused, or starts them again (each at its next keyframe). */
    public void pause(boolean pause) {
        if (closed || pause == paused) {
            return;
        }
        paused = pause;
        for (Track track : tracks.values()) {
            if (pause) {
                track.unsubscribe();
            } else {
                track.subscribe();
            }
        }
    }

    /** Ends every track's subscription and releases what they held. */
    public void close() {
        if (!closed) {
            closed = true;
            tracks.values().forEach(Track::unsubscribe);
        }
    }

    /** One rendition as one track of the viewer. */
    private final class Track implements StreamSubscriber {
        private final int number;
        private LiveStream hub;
        private Subscription subscription;
        /** Subscribed (set before the hub is asked, which may hand over its start frames at once). */
        private boolean on;
        /** The latest sequence headers, retained; sent before the keyframe a track (re)starts at. */
        private MediaFrame videoHeader;
        private MediaFrame audioHeader;
        private boolean synced;
        private long lastVideo = -1;
        private long lastAudio = -1;

        Track(int number) {
            this.number = number;
        }

        void subscribe() {
            if (!on && hub != null) {
                on = true;
                synced = false;
                subscription = hub.subscribe(this);
            }
        }

        void unsubscribe() {
            on = false;
            if (subscription != null) {
                subscription.close();
                subscription = null;
            }
            synced = false;
            videoHeader = replace(videoHeader, null);
            audioHeader = replace(audioHeader, null);
        }

        @Override
        public Executor executor() {
            return owner.executor();
        }

        @Override
        public void onStreamStart(StreamStart start) {
            synced = false;
        }

        @Override
        public void onFrame(MediaFrame frame) {
            if (closed || !on || frame instanceof ScriptFrame) {
                frame.release(); // the rendition's own metadata is not the program's: left out
                return;
            }
            boolean header = frame instanceof VideoFrame video ? video.isSequenceHeader()
                    : ((AudioFrame) frame).sequenceHeader();
            if (header) {
                if (frame instanceof VideoFrame) {
                    videoHeader = replace(videoHeader, frame.retainedDuplicate());
                } else {
                    audioHeader = replace(audioHeader, frame.retainedDuplicate());
                }
            }
            long base = owner.timelineBase();
            if (!synced) {
                boolean start = frame instanceof VideoFrame video && video.isRandomAccessPoint();
                if (!start || base < 0 || frame.timestamp() < base || !owner.writable()) {
                    frame.release();
                    return;
                }
                synced = true;
                if (videoHeader != null) {
                    send(videoHeader.retainedDuplicate().withTimestamp(frame.timestamp()), base);
                }
                if (audioHeader != null) {
                    send(audioHeader.retainedDuplicate().withTimestamp(frame.timestamp()), base);
                }
            } else if (!owner.writable()) {
                synced = false; // dropped: the track waits for its next keyframe
                frame.release();
                return;
            }
            send(frame, base);
        }

        private void send(MediaFrame frame, long base) {
            long time = Math.max(0, frame.timestamp() - base);
            if (frame instanceof VideoFrame) {
                time = Math.max(time, lastVideo);
                lastVideo = time;
            } else {
                time = Math.max(time, lastAudio);
                lastAudio = time;
            }
            owner.writeTrack(number, frame.withTimestamp(time));
        }

        @Override
        public void onStreamStop(StreamStop reason) {
            synced = false;
        }

        @Override
        public void onClosed(String reason) {
            on = false;
            subscription = null;
            synced = false;
        }

        private MediaFrame replace(MediaFrame old, MediaFrame next) {
            if (old != null) {
                old.release();
            }
            return next;
        }
    }
}
