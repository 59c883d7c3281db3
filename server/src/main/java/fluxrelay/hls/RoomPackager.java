package fluxrelay.hls;

import fluxrelay.media.MediaFrame;
import fluxrelay.media.codec.AudioCodecInfo;
import fluxrelay.media.codec.VideoCodecInfo;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.IngestSnapshot;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.StreamStart;
import fluxrelay.stream.StreamStop;
import fluxrelay.stream.StreamSubscriber;
import fluxrelay.stream.Subscription;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packages one room: a subscriber of its stream hub that feeds the segmenter, keeps the segments, renders
 * the playlists after each change and mirrors them to disk when asked. Every callback runs on the room's
 * packaging thread.
 *
 * <p>Endings: whenever packaging ends with segments listed (the hub closed because the room was deleted, or the
 * server stops), the playlists first get {@code EXT-X-ENDLIST}, in memory and on disk, so players finish instead
 * of waiting. After a room's deletion its ended playlists and their segments stay readable for one playlist
 * window ({@link HlsRoom#closed()}), then everything goes, disk files included. When the server stops, the disk
 * keeps the ended playlists and exactly the segment files they list.
 *
 * <p>Faults stay in the room: anything thrown while packaging (a bug, memory running out) ends this room's
 * packaging, frees its buffers and marks its {@link HlsRoom} failed, and never reaches the thread the room
 * shares with others. The owner replaces a failed packager when the room's stream starts again.
 */
final class RoomPackager implements StreamSubscriber, Segmenter.Output {

    private static final Logger log = LoggerFactory.getLogger(RoomPackager.class);

    /** What a packager tells the {@link HlsPackager} that made it. */
    interface Owner {
        /** Packaging failed (already logged and shown to readers); for the failure count. */
        void failed(RoomPackager packager);

        /** The stream of a failed packager started again: packaging may start afresh with a new packager. */
        void restart(RoomPackager failed);

        /** The hub closed (room or feed deleted, server stopping): the packager is finished. */
        void closed(RoomPackager packager);
    }

    private final LiveStream stream;
    private final HlsRenditions renditions;
    private final Owner owner;
    private final EventExecutor executor;
    private final DirectoryWriter disk;
    private final ByteBufAllocator allocator;
    private final LongSupplier clock;
    private final SegmentStore store;
    private final Segmenter segmenter;
    private final Fmp4Rendition fmp4;
    private final boolean ts;
    private final HlsRoom room;
    private final String roomId;
    private final HlsContinuity continuity;
    private final String namePrefix;
    /** How long readers wait for the first playlists of a publish that goes on from another node's numbering. */
    private final long startHoldMs;
    /** The fMP4 rendition's next sequence number last told to {@link #continuity}. */
    private long fmp4Reached = -1;
    /**
     * How logs and the directory name this feed: {@code room} for a room's main feed, {@code room/input} for another
     * input, so the directory mirrors the URLs ({@code ROOT/{room-id}/{input-id}/index.m3u8}).
     */
    private final String feedPath;
    private Subscription subscription;
    private ScheduledFuture<?> sweep;
    private boolean closed;
    private boolean failed;
    /** The current publish is relayed from another node ({@link LiveStream#relayed}): nothing is packaged. */
    private boolean relayed;
    private boolean released;
    /** Names of segment files the final on-disk playlists list, which must outlive the packager (server stop). */
    private java.util.Set<String> keptOnDisk = java.util.Set.of();

    /**
     * Takes no packaging buffers: the segmenters take them when a publish opens its first segment and give
     * them back when it stops, so a room that is not live costs a few objects on the heap.
     *
     * @param tsWriter the MPEG-TS container writer (used only when {@code renditions} include TS)
     */
    RoomPackager(LiveStream stream, EventExecutor executor, PackagerSettings settings, HlsRenditions renditions,
                 ContainerWriter tsWriter, ByteBufAllocator allocator, DirectoryWriter disk, String namePrefix, LongSupplier clock,
                 Owner owner) {
        this(stream, executor, settings, renditions, tsWriter, allocator, disk, namePrefix, clock, owner, HlsContinuity.NONE);
    }

    /** @param continuity where the numbering goes on from after another node packaged the feed, and is recorded */
    RoomPackager(LiveStream stream, EventExecutor executor, PackagerSettings settings, HlsRenditions renditions,
                 ContainerWriter tsWriter, ByteBufAllocator allocator, DirectoryWriter disk, String namePrefix, LongSupplier clock,
                 Owner owner, HlsContinuity continuity) {
        this.continuity = continuity;
        this.namePrefix = namePrefix;
        this.startHoldMs = 3000L * settings.targetDurationSeconds();
        this.stream = stream;
        this.renditions = renditions;
        this.owner = owner;
        this.executor = executor;
        this.disk = disk;
        this.allocator = allocator;
        this.clock = clock;
        this.roomId = stream.roomId();
        this.feedPath = stream.feedId().toString();
        this.store = new SegmentStore(settings.window(), settings.targetDurationSeconds(), clock, this::freed);
        this.ts = renditions.ts();
        this.fmp4 = renditions.fmp4() ? new Fmp4Rendition(feedPath, settings, allocator, namePrefix, clock,
                disk == null ? null : new Fmp4Files()) : null;
        this.room = new HlsRoom(roomId, store, tsWriter.contentType(), allocator,
                disk == null ? () -> 0 : () -> disk.failures(feedPath), fmp4, ts);
        this.segmenter = new Segmenter(feedPath, settings, tsWriter, allocator, namePrefix, clock, this);
        if (fmp4 != null) {
            fmp4.addListener(this::fmp4Changed);
        }
    }

    HlsRoom room() {
        return room;
    }

    LiveStream stream() {
        return stream;
    }

    FeedId feedId() {
        return stream.feedId();
    }

    HlsRenditions renditions() {
        return renditions;
    }

    void start() {
        subscription = stream.subscribe(this);
    }

    /**
     * Lines this packager's segments up with the room's program ({@link AlignedCuts}), before {@link #start()}: the
     * program's packager leads, each quality rendition's follows.
     *
     * @param fmp4Cuts the alignment of the fMP4 segments (unused without the fMP4 packaging)
     */
    void align(AlignedCuts tsCuts, AlignedCuts fmp4Cuts, boolean follow) {
        segmenter.align(tsCuts, follow);
        if (fmp4 != null) {
            fmp4.segmenter().align(fmp4Cuts, follow);
        }
    }

    /**
     * Unsubscribes, ends the playlists ({@code EXT-X-ENDLIST}) and frees the room's segments (on its thread, after
     * frames already queued; at once when the thread is gone and will run nothing more).
     *
     * @param keepDisk true when the server stops: the disk keeps the ended playlists and the segments they list;
     *                 false (room deleted, packager replaced): the room's files are removed
     */
    void close(boolean keepDisk) {
        if (subscription != null) {
            subscription.close();
        }
        Runnable last = () -> {
            endPlaylists();
            if (keepDisk) {
                keepListedOnDisk();
            }
            shutdown();
        };
        try {
            executor.execute(last);
        } catch (RejectedExecutionException e) {
            last.run();
        }
    }

    @Override
    public EventExecutor executor() {
        return executor;
    }

    @Override
    public void onStreamStart(StreamStart start) {
        if (closed) {
            return;
        }
        // A cluster edge's pull of another node's publish: the origin answers this room's HLS for every node.
        relayed = stream.relayed();
        if (relayed) {
            log.info("room {}: not packaged here while its publish is relayed from its origin node", stream.feedId());
            return;
        }
        if (failed) {
            owner.restart(this);
            return;
        }
        try {
            segmenter.start();
            store.reopen();
            if (fmp4 != null) {
                fmp4.segmenter().start();
                fmp4.reopen();
            }
            continueNumbering();
            publish();
            log.info("room {}: HLS packaging started", stream.feedId());
        } catch (Throwable t) {
            fail(t);
        }
    }

    /**
     * Goes on from the position another node's packager reached for this feed, when it is ahead of this one (that
     * node died and the encoder came here): sequence numbers go on, with a discontinuity, and playlist requests wait
     * for the first segment instead of finding nothing.
     */
    private void continueNumbering() {
        boolean tsMoved = ts && continuity.start(stream.feedId(), HlsContinuity.Rendition.TS).map(start -> {
            if (!store.continueAt(start)) {
                return false;
            }
            segmenter.continueAt(start.mediaSequence());
            return true;
        }).orElse(false);
        boolean fmp4Moved = fmp4 != null && continuity.start(stream.feedId(), HlsContinuity.Rendition.FMP4)
                .map(fmp4::continueAt).orElse(false);
        if (tsMoved || fmp4Moved) {
            room.awaitFirstSegment(startHoldMs, tsMoved);
            log.info("room {}: HLS numbering goes on from another node's (MPEG-TS at {}, fMP4 at {})", stream.feedId(),
                    store.nextSequence(), fmp4 == null ? "-" : fmp4.store().nextSequence());
        }
    }

    /** After each fMP4 part or segment: a finished segment's position is recorded (once per segment). */
    private void fmp4Changed() {
        long next = fmp4.store().nextSequence();
        if (next != fmp4Reached && fmp4.store().hasProduced()) {
            fmp4Reached = next;
            continuity.reached(stream.feedId(), HlsContinuity.Rendition.FMP4, fmp4.store().position(), namePrefix);
        }
    }

    @Override
    public void onFrame(MediaFrame frame) {
        try {
            if (!closed && !failed && !relayed) {
                if (ts) {
                    segmenter.frame(frame);
                }
                if (fmp4 != null) {
                    fmp4.segmenter().frame(frame);
                }
            }
        } catch (Throwable t) {
            fail(t);
        } finally {
            frame.release();
        }
    }

    @Override
    public void onDiscontinuity() {
        if (!closed && !relayed) {
            segmenter.discontinuity();
            if (fmp4 != null) {
                fmp4.segmenter().discontinuity();
            }
        }
    }

    @Override
    public void onSourceSwitch(boolean parametersChanged) {
        if (!closed && !relayed) {
            segmenter.switched();
            if (fmp4 != null) {
                fmp4.segmenter().switched();
            }
        }
    }

    @Override
    public void onStreamStop(StreamStop reason) {
        if (closed || failed || relayed) {
            return;
        }
        try {
            segmenter.stop();
            if (fmp4 != null) {
                fmp4.segmenter().stop();
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    /**
     * The hub closed (room deleted, or server stopping): the playlists end and stay readable for one playlist
     * window, for players to finish; then the packager goes.
     */
    @Override
    public void onClosed(String reason) {
        if (closed) {
            owner.closed(this);
            return;
        }
        endPlaylists();
        long lingerMs = failed ? 0 : lingerMs();
        if (lingerMs <= 0) {
            shutdown();
            owner.closed(this);
            return;
        }
        room.close();
        try {
            executor.schedule(() -> {
                shutdown();
                owner.closed(this);
            }, lingerMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            shutdown();
            owner.closed(this);
        }
    }

    /** Ends the open segments and marks the playlists ended (memory and disk); nothing when already ended or failed. */
    private void endPlaylists() {
        if (closed || failed) {
            return;
        }
        try {
            segmenter.stop();
            if (fmp4 != null) {
                fmp4.segmenter().stop();
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    /** How long ended playlists stay readable after the hub closed: what they list, or 0 when nothing is listed. */
    private long lingerMs() {
        long ms = 0;
        for (SegmentStore one : fmp4 == null ? List.of(store) : List.of(store, fmp4.store())) {
            PlaylistView view = one.view().orElse(null);
            if (view != null) {
                ms = Math.max(ms, view.segments().stream().mapToLong(SegmentInfo::durationMs).sum());
            }
        }
        return ms;
    }

    /** Notes the segments the final playlists list: their files stay when the memory is freed. */
    private void keepListedOnDisk() {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (SegmentStore one : fmp4 == null ? List.of(store) : List.of(store, fmp4.store())) {
            one.view().ifPresent(view -> view.segments().forEach(info -> names.add(info.name())));
        }
        if (fmp4 != null) {
            fmp4.store().listedParts().forEach(parts -> parts.forEach(part -> names.add(part.name())));
        }
        keptOnDisk = names;
    }

    /**
     * Ends this room's packaging after {@code cause}: logged with its trace, counted, shown to readers as a
     * reason (the exception's type only: its message may carry stream data), buffers and segments freed.
     */
    private void fail(Throwable cause) {
        if (failed || closed) {
            return;
        }
        failed = true;
        log.error("room {}: HLS packaging failed; the room's HLS answers 503 until its stream starts again", stream.feedId(),
                cause);
        room.fail("HLS packaging of this room stopped after an internal error (" + cause.getClass().getSimpleName()
                + "); it starts again when the stream restarts.");
        owner.failed(this);
        release();
    }

    @Override
    public void segment(Segment segment, boolean independent) {
        if (disk != null) {
            disk.segment(feedPath, segment.info().name(), segment.retainedData(allocator));
        }
        store.append(segment, independent);
        publish();
        continuity.reached(stream.feedId(), HlsContinuity.Rendition.TS, store.position(), namePrefix);
        scheduleSweep();
    }

    @Override
    public void ended() {
        room.awaitFirstSegment(0, false);
        store.end();
        publish();
        scheduleSweep();
    }

    /** The LL-HLS rendition's files in the room's folder, beside the MPEG-TS ones. */
    private final class Fmp4Files implements Fmp4Rendition.Files {
        @Override
        public void write(String name, io.netty.buffer.ByteBuf data) {
            disk.segment(feedPath, name, data);
        }

        @Override
        public void playlist(String name, String text) {
            disk.playlist(feedPath, name, text);
        }

        @Override
        public void delete(String name) {
            if (!keptOnDisk.contains(name)) {
                disk.delete(feedPath, name);
            }
        }
    }

    private void freed(SegmentInfo info) {
        if (disk != null && !keptOnDisk.contains(info.name())) {
            disk.delete(feedPath, info.name());
        }
    }

    /** Renders both playlists from the store's state and hands them to readers (and the disk). */
    private void publish() {
        PlaylistView view = store.view().orElse(null);
        if (view == null) {
            return;
        }
        String media = PlaylistWriter.media(view);
        VariantInfo variant = variant(view);
        room.variant(variant);
        String master = PlaylistWriter.master(variant, HlsRoom.MEDIA_PLAYLIST, view.independentSegments());
        room.publish(new Playlists(master, media, tag(master), tag(media), clock.getAsLong(), view), segmenter.skipped());
        if (disk != null) {
            disk.playlist(feedPath, HlsRoom.MEDIA_PLAYLIST, media);
            disk.playlist(feedPath, HlsRoom.MASTER_PLAYLIST, master);
        }
    }

    /**
     * The variant as the ingest state describes it (codecs, picture size, frame rate, parsed from the
     * sequence headers), limited to the tracks the segments carry; bit rates measured on the listed segments.
     */
    private VariantInfo variant(PlaylistView view) {
        Tracks tracks = segmenter.tracks();
        IngestSnapshot ingest = stream.snapshot().ingest();
        List<String> codecs = new ArrayList<>();
        int width = 0;
        int height = 0;
        double frameRate = Double.NaN;
        if (tracks != null && tracks.video() != null) {
            VideoCodecInfo video = tracks.video().info();
            codecs.add(video.codecString());
            width = video.width();
            height = video.height();
            frameRate = video.frameRate();
            if (!(frameRate > 0) && ingest != null && ingest.measuredFps() > 0) {
                frameRate = Math.round(ingest.measuredFps() * 1000) / 1000.0;
            }
        }
        AudioCodecInfo audio = null;
        if (tracks != null && tracks.audio() != null) {
            audio = tracks.audio().info();
            codecs.add(audio.codecString());
        }
        long peak = 0;
        long bytes = 0;
        long millis = 0;
        for (SegmentInfo segment : view.segments()) {
            peak = Math.max(peak, segment.bitrate());
            bytes += segment.bytes();
            millis += segment.durationMs();
        }
        return new VariantInfo(peak, millis > 0 ? bytes * 8000 / millis : 0, codecs, width, height, frameRate, audio);
    }

    /** A strong entity tag of a playlist's text. */
    static String tag(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return "\"" + Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(text.length()) + "\"";
    }

    private void scheduleSweep() {
        long at = store.nextSweep();
        if (at < 0 || closed || (sweep != null && !sweep.isDone())) {
            return;
        }
        sweep = executor.schedule(() -> {
            sweep = null;
            if (closed || failed) {
                return;
            }
            try {
                store.sweep(clock.getAsLong());
                if (fmp4 != null) {
                    fmp4.store().sweep(clock.getAsLong());
                }
                scheduleSweep();
            } catch (Throwable t) {
                fail(t);
            }
        }, Math.max(0, at - clock.getAsLong()) + 10, TimeUnit.MILLISECONDS);
    }

    private void shutdown() {
        if (closed) {
            return;
        }
        closed = true;
        release();
        if (disk != null && keptOnDisk.isEmpty()) {
            // Room gone: its playlists leave with its segments (a stopping server keeps them, ended).
            for (String name : List.of(HlsRoom.MASTER_PLAYLIST, HlsRoom.MEDIA_PLAYLIST, HlsRoom.LOW_LATENCY_PLAYLIST)) {
                disk.remove(feedPath, name);
            }
            if (fmp4 != null) {
                fmp4.initNames().forEach(name -> disk.delete(feedPath, name)); // kept with the segments of a recording
            }
        }
    }

    /** Frees the segments and buffers, once; what fails here is logged, not thrown (the room is ending anyway). */
    private void release() {
        if (released) {
            return;
        }
        released = true;
        if (sweep != null) {
            sweep.cancel(false);
        }
        List<AutoCloseable> parts = new ArrayList<>();
        parts.add(segmenter);
        parts.add(store::close);
        if (fmp4 != null) {
            parts.add(fmp4);
        }
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Throwable t) {
                log.warn("room {}: freeing HLS packaging state failed", stream.feedId(), t);
            }
        }
    }
}
