package fluxrelay.stream;

import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.ScriptFrame;
import fluxrelay.media.VideoFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * What a viewer joining mid-stream needs to start decoding at once: the latest metadata, the audio and
 * video sequence headers and every frame since the last keyframe.
 *
 * <p>Bounded by {@link StreamLimits}: past a bound the group of pictures is dropped and caching resumes at
 * the next keyframe. Holds one reference per cached frame. Not thread-safe; the owning {@link LiveStream}
 * guards it.
 */
final class GopCache {

    private final StreamLimits limits;
    private final List<MediaFrame> gop = new ArrayList<>();
    private ScriptFrame metadata;
    private VideoFrame videoHeader;
    private AudioFrame audioHeader;
    private long gopBytes;
    private boolean collecting;

    GopCache(StreamLimits limits) {
        this.limits = limits;
    }

    /** Records a frame; the cache retains what it keeps, the caller keeps its own reference. */
    void add(MediaFrame frame) {
        if (frame instanceof ScriptFrame script) {
            if (script.isMetadata()) {
                metadata = replace(metadata, script);
            }
        } else if (frame instanceof VideoFrame video) {
            if (video.isSequenceHeader()) {
                videoHeader = replace(videoHeader, video);
            } else if (video.isRandomAccessPoint()) {
                clearGop();
                collecting = true;
                append(video);
            } else {
                append(video);
            }
        } else if (frame instanceof AudioFrame audio) {
            if (audio.sequenceHeader()) {
                audioHeader = replace(audioHeader, audio);
            } else {
                append(audio);
            }
        }
    }

    /** Retained copies of everything a new viewer needs, in the order to send them. */
    List<MediaFrame> snapshot() {
        List<MediaFrame> out = new ArrayList<>(gop.size() + 3);
        // Metadata and sequence headers are stamped at the cached GOP's start, so a joiner's timeline begins there
        // and never goes back (they may have arrived long before, or, for metadata, after the keyframe).
        long start = gop.isEmpty() ? -1 : gop.get(0).timestamp();
        for (MediaFrame header : new MediaFrame[] {metadata, videoHeader, audioHeader}) {
            if (header != null) {
                header.retain();
                out.add(start < 0 ? header : header.withTimestamp(start));
            }
        }
        for (MediaFrame frame : gop) {
            out.add(frame.retain());
        }
        return out;
    }

    /** True once a video sequence header was seen: the stream carries video. */
    boolean hasVideo() {
        return videoHeader != null;
    }

    /** Frames currently cached, headers included. */
    int frames() {
        return gop.size() + (metadata != null ? 1 : 0) + (videoHeader != null ? 1 : 0) + (audioHeader != null ? 1 : 0);
    }

    /** Payload bytes currently cached, headers included. */
    long bytes() {
        long headers = (metadata != null ? metadata.size() : 0) + (videoHeader != null ? videoHeader.size() : 0)
                + (audioHeader != null ? audioHeader.size() : 0);
        return gopBytes + headers;
    }

    /** Releases everything (a new publisher starts, or the room closes). */
    void clear() {
        clearGop();
        collecting = false;
        metadata = release(metadata);
        videoHeader = release(videoHeader);
        audioHeader = release(audioHeader);
    }

    private void append(MediaFrame frame) {
        if (!collecting) {
            return;
        }
        if (gop.size() + 1 > limits.gopCacheMaxFrames() || gopBytes + frame.size() > limits.gopCacheMaxBytes()) {
            clearGop();
            collecting = false;
            return;
        }
        gop.add(frame.retain());
        gopBytes += frame.size();
    }

    private void clearGop() {
        for (MediaFrame frame : gop) {
            frame.release();
        }
        gop.clear();
        gopBytes = 0;
    }

    private static <T extends MediaFrame> T replace(T old, T fresh) {
        release(old);
        fresh.retain();
        return fresh;
    }

    private static <T extends MediaFrame> T release(T frame) {
        if (frame != null) {
            frame.release();
        }
        return null;
    }
}
