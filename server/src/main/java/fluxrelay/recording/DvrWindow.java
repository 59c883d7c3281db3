package fluxrelay.recording;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;

/**
 * A room's live DVR window: an HLS media playlist (RFC 8216, fMP4 segments 3.3) over the last {@code window} of the
 * recording being written, one media segment per fragment of its fragment file, read from disk as players ask.
 *
 * <p>Only an index is held: each fragment's offset, size and duration, in a ring sized for the window, never the
 * media. The playlist grows until it lists {@code window} of media, then slides: the oldest segment goes and
 * {@code EXT-X-MEDIA-SEQUENCE} moves on. Since segments are removed, it carries no {@code EXT-X-PLAYLIST-TYPE}
 * (6.2.2); its target duration is fixed at the start (6.2.1) at twice the fragment length, the longest a fragment
 * gets. A segment removed from the playlist stays readable for one more window (6.2.2: a player that loaded an
 * older playlist may still ask for it). When the session ends the playlist gets {@code EXT-X-ENDLIST}.
 *
 * <p>Fragments start at a keyframe except when an encoder sends none for twice the fragment length, so the playlist
 * does not claim {@code EXT-X-INDEPENDENT-SEGMENTS}. Appended on the room's recording thread, read by any thread.
 */
public final class DvrWindow {

    /** The playlist's file name under a room's HLS prefix. */
    public static final String PLAYLIST = "dvr.m3u8";
    private static final String PREFIX = "dvr-";
    private static final String INIT_SUFFIX = ".mp4";
    private static final String SEGMENT_SUFFIX = ".m4s";

    /**
     * Bytes of the fragment file a URL names.
     *
     * @param name the file name in the playlist, for ETags
     */
    public record Range(Path file, long offset, int length, String name) {

        /** Reads the bytes (a blocking file read: never on an event loop). */
        public ByteBuf read(ByteBufAllocator allocator) throws IOException {
            ByteBuf out = allocator.buffer(length);
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                while (out.readableBytes() < length) {
                    if (out.writeBytes(in, offset + out.readableBytes(), length - out.readableBytes()) < 0) {
                        throw new IOException("the recording is shorter than its index");
                    }
                }
                return out;
            } catch (IOException | RuntimeException e) {
                out.release();
                throw e;
            }
        }
    }

    /** The playlist as it is now, with what HTTP validators need. */
    public record Playlist(String text, String etag, long lastModified) {
    }

    private final String recordingId;
    private final Path file;
    private final double windowSeconds;
    private final int targetSeconds;
    private final long[] offsets;
    private final int[] lengths;
    private final double[] seconds;
    private int initLength;
    /** Sequence number of the oldest fragment kept, and how many are kept. */
    private long first;
    private int count;
    private double keptSeconds;
    /** Sequence number of the first fragment listed in the playlist. */
    private long listedFrom;
    private double listedSeconds;
    private boolean ended;
    private long lastModified = System.currentTimeMillis();
    private Playlist built;

    /**
     * @param recordingId the recording written, naming the URLs
     * @param file its fragment file
     * @param windowMs how much media the playlist lists once it has grown
     * @param fragmentMs the recorder's fragment length: fragments last at least this (but the last), at most twice
     */
    DvrWindow(String recordingId, Path file, long windowMs, long fragmentMs) {
        if (windowMs <= 0 || fragmentMs <= 0) {
            throw new IllegalArgumentException("a DVR window needs a positive window and fragment length");
        }
        this.recordingId = recordingId;
        this.file = file;
        this.windowSeconds = windowMs / 1000.0;
        this.targetSeconds = targetSeconds(fragmentMs);
        // What is kept lasts less than two windows plus a fragment; each fragment but the last lasts fragmentMs or more.
        int capacity = (int) Math.min(Integer.MAX_VALUE - 8, 2 * windowMs / fragmentMs + 4);
        this.offsets = new long[capacity];
        this.lengths = new int[capacity];
        this.seconds = new double[capacity];
    }

    /** The target duration for fragments of {@code fragmentMs}: the longest one rounded, {@code ceil(2 × fragment)}. */
    public static int targetSeconds(long fragmentMs) {
        return (int) Math.max(1, (2 * fragmentMs + 999) / 1000);
    }

    /** True for the file names a DVR window answers: its playlist, init segment and media segments. */
    public static boolean owns(String name) {
        return name.equals(PLAYLIST) || name.startsWith(PREFIX);
    }

    public String recordingId() {
        return recordingId;
    }

    /** How much media the playlist lists once grown, seconds. */
    public double windowSeconds() {
        return windowSeconds;
    }

    /** The playlist's fixed {@code EXT-X-TARGETDURATION}. */
    public int targetDuration() {
        return targetSeconds;
    }

    /** The initialization segment's length, at the start of the file. */
    synchronized void init(int length) {
        initLength = length;
    }

    /** A fragment was written and forced to disk. */
    synchronized void fragment(long offset, int length, double duration) {
        if (ended) {
            return;
        }
        int capacity = offsets.length;
        if (count == capacity) {
            drop();
        }
        int slot = (int) ((first + count) % capacity);
        offsets[slot] = offset;
        lengths[slot] = length;
        seconds[slot] = duration;
        count++;
        keptSeconds += duration;
        listedSeconds += duration;
        while (listedFrom < first + count - 1 && listedSeconds - seconds(listedFrom) >= windowSeconds) {
            listedSeconds -= seconds(listedFrom);
            listedFrom++;
        }
        // A segment leaves the playlist and stays readable for one more window.
        while (first < listedFrom && keptSeconds - listedSeconds - seconds(first) >= windowSeconds) {
            drop();
        }
        changed();
    }

    /** The session ended: the playlist is complete. */
    synchronized void end() {
        if (!ended) {
            ended = true;
            changed();
        }
    }

    public synchronized boolean ended() {
        return ended;
    }

    /** Fragments indexed now, listed or recently removed: bounded by the window, whatever the session's length. */
    public synchronized int indexed() {
        return count;
    }

    /** Seconds of media the playlist lists now. */
    public synchronized double listedSeconds() {
        return listedSeconds;
    }

    /** The playlist, or empty before the first fragment. */
    public synchronized Optional<Playlist> playlist() {
        if (first + count == listedFrom) {
            return Optional.empty();
        }
        if (built == null) {
            StringBuilder text = new StringBuilder(128 + 40 * (int) (first + count - listedFrom));
            text.append("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:").append(targetSeconds)
                    .append("\n#EXT-X-MEDIA-SEQUENCE:").append(listedFrom)
                    .append("\n#EXT-X-MAP:URI=\"").append(initName()).append("\"\n");
            for (long n = listedFrom; n < first + count; n++) {
                text.append(String.format(Locale.ROOT, "#EXTINF:%.3f,", seconds(n))).append('\n').append(segmentName(n)).append('\n');
            }
            if (ended) {
                text.append("#EXT-X-ENDLIST\n");
            }
            built = new Playlist(text.toString(), "\"" + PREFIX + recordingId + "-" + listedFrom + "-" + (first + count)
                    + (ended ? "-end" : "") + "\"", lastModified);
        }
        return Optional.of(built);
    }

    /** The bytes a file name of the playlist stands for, while they are indexed. */
    public synchronized Optional<Range> file(String name) {
        String base = PREFIX + recordingId;
        if (initLength > 0 && name.equals(base + INIT_SUFFIX)) {
            return Optional.of(new Range(file, 0, initLength, name));
        }
        if (!name.startsWith(base + "-") || !name.endsWith(SEGMENT_SUFFIX)) {
            return Optional.empty();
        }
        String number = name.substring(base.length() + 1, name.length() - SEGMENT_SUFFIX.length());
        if (number.isEmpty() || number.length() > 18 || !number.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        long n = Long.parseLong(number);
        if (n < first || n >= first + count) {
            return Optional.empty();
        }
        int slot = (int) (n % offsets.length);
        return Optional.of(new Range(file, offsets[slot], lengths[slot], name));
    }

    private String initName() {
        return PREFIX + recordingId + INIT_SUFFIX;
    }

    private String segmentName(long n) {
        return PREFIX + recordingId + "-" + n + SEGMENT_SUFFIX;
    }

    private double seconds(long n) {
        return seconds[(int) (n % seconds.length)];
    }

    private void drop() {
        keptSeconds -= seconds(first);
        if (listedFrom == first) {
            listedSeconds -= seconds(first);
            listedFrom++;
        }
        first++;
        count--;
    }

    private void changed() {
        built = null;
        lastModified = System.currentTimeMillis();
    }
}
