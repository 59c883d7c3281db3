package fluxrelay.recording;

import fluxrelay.stream.LiveStream;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the attached rooms' live sessions into the recording directory, keeps the catalogue of recordings and
 * applies retention and the free-space floor.
 *
 * <p>Threads: rooms share a few recording threads, each room pinned to one so its frames stay in order; every file
 * write runs there, never on an event loop. Finalizing (a copy of the whole recording), deleting and the periodic
 * check run on one more thread of their own, so a long recording being finalized never holds up the frames of the
 * rooms sharing its recording thread. At {@link #start()} the recordings a crash or kill left unfinished are
 * finalized from their fragment files.
 *
 * <p>Free space: checked every {@code checkInterval} and before a recording starts. Below {@code minFree} no
 * recording starts and running ones end (finalized, announced as ready); live streaming is untouched. Retention
 * runs at the same check: ready and failed recordings past {@code maxAge} go, then the oldest while the total
 * exceeds {@code maxTotalBytes}.
 *
 * <p>A write failure (the disk full before the floor was seen, or an I/O error) ends that session, finalized up to
 * its last fragment when there is room (else failed, the fragment file kept), and counts as low space: no recording
 * starts until a check finds {@value #RESUME_MARGIN_BYTES} bytes free above the floor, so a full disk does not start and
 * fail a recording at every keyframe.
 *
 * <p>Live DVR: a room attached with a DVR window gets a {@link DvrWindow} over each session's fragment file. The
 * recording is pinned while the window is served, through its session and one window length after it ended (for
 * players still behind live): its fragment file stays beside the finalized MP4, and neither retention nor a delete
 * removes it. The pin goes when that time is up, when the room's next session starts (with a new window, or none
 * when the room's window was switched off), or when the room is detached; the fragment file of a finalized recording
 * goes with it. A room's changed window applies from its next session.
 */
public final class Recorder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Recorder.class);
    /** How long {@link #close()} waits for sessions to be finalized; those not done are finalized at the next start. */
    private static final long CLOSE_WAIT_SECONDS = 60;
    static final String LOW_SPACE = "free space fell below relay.recording.min-free";
    /** After a write failure, recording resumes once this much is free above {@code minFree}. */
    static final long RESUME_MARGIN_BYTES = 64L << 20;

    private final RecordingSettings settings;
    private final ByteBufAllocator allocator;
    private final RecordingEvents events;
    private final Clock clock;
    private final Catalogue catalogue;
    private final EventExecutorGroup threads;
    private final EventExecutor housekeeping;
    private final Map<String, RoomRecorder> rooms = new ConcurrentHashMap<>();
    /** Each room's live DVR window: its running session's, or its last session's for a while after the end. */
    private final Map<String, DvrWindow> windows = new ConcurrentHashMap<>();
    /** Recordings whose fragment file a DVR window reads: kept after finalizing, never deleted by retention. */
    private final java.util.Set<String> pinned = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inProgress = new AtomicInteger();
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder lowSpaceStops = new LongAdder();
    private volatile long freeBytes = -1;
    private volatile boolean lowSpace;
    /** Free space below which no recording starts: {@code minFree}, raised after a write failure until space is back. */
    private volatile long floor;
    private volatile boolean closed;

    /** How much a file system has free, for a writer: {@link java.nio.file.FileStore#getUsableSpace()}. */
    interface FreeSpace {
        long usable(Path directory) throws IOException;
    }

    private final FreeSpace freeSpace;

    public Recorder(RecordingSettings settings, ByteBufAllocator allocator, RecordingEvents events, Clock clock) {
        this(settings, allocator, events, clock, directory -> Files.getFileStore(directory).getUsableSpace());
    }

    Recorder(RecordingSettings settings, ByteBufAllocator allocator, RecordingEvents events, Clock clock, FreeSpace freeSpace) {
        this.freeSpace = freeSpace;
        this.settings = settings;
        this.floor = settings.minFreeBytes();
        this.allocator = allocator;
        this.events = events;
        this.clock = clock;
        this.catalogue = new Catalogue(settings.directory().toAbsolutePath().normalize());
        this.threads = new DefaultEventExecutorGroup(settings.threads(), new DefaultThreadFactory("recording", true));
        this.housekeeping = new DefaultEventExecutor(new DefaultThreadFactory("recording-finalizer", true));
    }

    /**
     * Creates the directory, reads the catalogue, finalizes recordings left unfinished (on the recording threads) and
     * starts the periodic free-space and retention check.
     *
     * @throws IOException when the directory cannot be created or read
     */
    public void start() throws IOException {
        List<Recording> unfinished = catalogue.load();
        for (Recording recording : unfinished) {
            housekeeping.execute(() -> {
                log.info("recording {}: left unfinished by the last run; finalizing it", recording.id());
                Path fragments = catalogue.fragments(recording.id());
                Instant end = recording.end();
                try {
                    end = end != null ? end : Files.getLastModifiedTime(fragments).toInstant();
                } catch (IOException e) {
                    end = clock.instant();
                }
                finish(recording, end, "recovered after a restart");
            });
        }
        check();
        long every = settings.checkInterval().toMillis();
        housekeeping.scheduleAtFixedRate(this::check, every, every, TimeUnit.MILLISECONDS);
    }

    /** {@link #attach(LiveStream, boolean)} with sessions starting once the room is on the air. */
    public void attach(LiveStream stream) {
        attach(stream, false);
    }

    /**
     * Records {@code stream}'s room from now on (idempotent); a recorder left from an earlier hub of the same room is
     * replaced (its session ends). A changed start applies from the room's next session: a running one is not cut.
     *
     * @param fromPublish sessions start when the hub's publisher publishes, shown or not (before GO LIVE); false: once
     *     the room is on the air, as its viewers see it
     */
    public void attach(LiveStream stream, boolean fromPublish) {
        attach(stream, fromPublish, java.time.Duration.ZERO);
    }

    /**
     * {@link #attach(LiveStream, boolean)} with a live DVR window of {@code dvrWindow} over each session (zero: none).
     * A changed window applies from the room's next session, as a changed start: the running session is not cut in two
     * and keeps serving the window it started with (a window is sized when its session starts, and one switched on
     * midway could not list what came before).
     */
    public void attach(LiveStream stream, boolean fromPublish, java.time.Duration dvrWindow) {
        long dvrMs = dvrWindow.toMillis();
        if (closed) {
            return;
        }
        RoomRecorder[] stale = new RoomRecorder[1];
        rooms.compute(stream.roomId(), (room, current) -> {
            if (current != null && current.stream() == stream) {
                if (current.nextFromPublish() != fromPublish || current.nextDvrWindowMs() != dvrMs) {
                    current.nextSessions(fromPublish, dvrMs); // here, so that a concurrent restart reads it (see restart)
                }
                return current;
            }
            stale[0] = current;
            RoomRecorder recorder = new RoomRecorder(stream, threads.next(), settings.grace().toMillis(),
                    settings.fragment().toMillis(), owner, fromPublish, dvrMs);
            recorder.start();
            return recorder;
        });
        if (stale[0] != null) {
            stale[0].close("the room was made again");
        }
    }

    /**
     * True once the room's recorder works with the start and DVR window it was last attached with: a change waits for
     * the running session to end, then the recorder is replaced on its thread (a publish before that is recorded as
     * before). For tests, which publish whole sessions at once.
     */
    boolean applied(String room) {
        RoomRecorder current = rooms.get(room);
        return current != null && current.fromPublish() == current.nextFromPublish()
                && current.dvrWindowMs() == current.nextDvrWindowMs();
    }

    /** Stops recording a room (room deleted or recording switched off); its running session is finalized. */
    public void detach(String room) {
        RoomRecorder recorder = rooms.remove(room);
        if (recorder != null) {
            recorder.close("recording of the room stopped");
        }
        DvrWindow window = windows.get(room);
        if (window != null) {
            releaseLater(room, window, 0);
        }
    }

    /** The room's live DVR window, while one is served: its running session's or, for a while, its last one's. */
    public Optional<DvrWindow> dvr(String room) {
        return Optional.ofNullable(windows.get(room));
    }

    /** Every recording, oldest first. */
    public List<Recording> list() {
        return catalogue.all();
    }

    /** A room's recordings, oldest first. */
    public List<Recording> list(String room) {
        return catalogue.all().stream().filter(r -> r.room().equals(room)).toList();
    }

    public Optional<Recording> find(String id) {
        return catalogue.find(id);
    }

    /**
     * Deletes a finished recording and its files, on the finalizing thread.
     *
     * @return true when deleted, false when there is no such recording; fails with {@link IllegalStateException} while
     *     it is recording or finalizing
     */
    public CompletableFuture<Boolean> delete(String id) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        housekeeping.execute(() -> {
            Optional<Recording> recording = catalogue.find(id);
            if (recording.isEmpty()) {
                done.complete(false);
            } else if (!finished(recording.get())) {
                done.completeExceptionally(new IllegalStateException("recording " + id + " is " + recording.get().state().label()
                        + "; it can be deleted once ready or failed"));
            } else if (pinned.contains(id)) {
                done.completeExceptionally(new IllegalStateException("recording " + id + " is served by its room's live DVR "
                        + "window; it can be deleted once the window is gone (one window length after the session)"));
            } else {
                try {
                    catalogue.delete(id);
                    log.info("recording {} deleted", id);
                    done.complete(true);
                } catch (IOException e) {
                    done.completeExceptionally(e);
                }
            }
        });
        return done;
    }

    /** Recordings being written now. */
    public int inProgress() {
        return inProgress.get();
    }

    /** Bytes appended to fragment files since start. */
    public long bytesWritten() {
        return bytesWritten.sum();
    }

    /** Recordings that failed (could not be written or finalized) since start. */
    public long failures() {
        return failures.sum();
    }

    /** Recordings ended early because free space fell below the floor, since start. */
    public long lowSpaceStops() {
        return lowSpaceStops.sum();
    }

    /** Usable bytes on the recording directory's file system at the last check, -1 before the first. */
    public long freeBytes() {
        return freeBytes;
    }

    /** True while free space is below the floor and no recording starts. */
    public boolean lowSpace() {
        return lowSpace;
    }

    static boolean finished(Recording recording) {
        return recording.state() == RecordingState.READY || recording.state() == RecordingState.FAILED;
    }

    /** Free space and retention (on the finalizing thread). */
    private void check() {
        try {
            long free = freeSpace.usable(catalogue.directory());
            freeBytes = free;
            if (free < floor) {
                if (!lowSpace) {
                    log.warn("recording: {} bytes free in {}, below relay.recording.min-free ({}): running recordings end, "
                            + "none starts until space is freed", free, catalogue.directory(), settings.minFreeBytes());
                }
                lowSpace = true;
                rooms.values().forEach(room -> room.endSoon(LOW_SPACE));
            } else if (lowSpace) {
                lowSpace = false;
                floor = settings.minFreeBytes();
                log.info("recording: free space back above relay.recording.min-free ({} bytes free); recordings start again",
                        free);
            }
            Retention.apply(catalogue, settings.maxAge(), settings.maxTotalBytes(), clock.instant(), pinned::contains);
        } catch (IOException | RuntimeException e) {
            log.warn("recording: free-space and retention check failed: {}", e.toString());
        }
    }

    /** Finalizes a recording whose session ended (on the finalizing thread); announces ready or failed. */
    private void finish(Recording recording, Instant end, String why) {
        Path fragments = catalogue.fragments(recording.id());
        try {
            long size = Files.exists(fragments) ? Files.size(fragments) : 0;
            catalogue.put(recording.with(RecordingState.FINALIZING, end, 0, size, fragments, null));
            Finalizer.Result result = Finalizer.run(fragments, catalogue.finalFile(recording.id()), allocator);
            Recording ready = recording.with(RecordingState.READY, end, result.durationSeconds(), result.size(),
                    catalogue.finalFile(recording.id()), null);
            catalogue.put(ready); // before the fragments go: a crash in between leaves a stray file, not a lost recording
            if (!pinned.contains(recording.id())) {
                Files.deleteIfExists(fragments); // else when its DVR window goes
            }
            log.info("recording {}: ready, {} s, {} bytes ({})", ready.id(), String.format("%.1f", ready.durationSeconds()),
                    ready.size(), why);
            events.ready(ready, why);
        } catch (IOException | RuntimeException e) {
            failures.increment();
            Recording failed = recording.with(RecordingState.FAILED, end, 0, fileSize(fragments), fragments, e.getMessage());
            try {
                catalogue.put(failed);
            } catch (IOException written) {
                log.warn("recording {}: catalogue entry not written: {}", recording.id(), written.toString());
            }
            log.warn("recording {}: finalizing failed ({}); the fragment file is kept", recording.id(), e.toString());
            events.failed(failed);
        }
    }

    /** Finalizes on the finalizing thread; when it is gone (closing) the next start finalizes the recording. */
    private void finishLater(Recording recording, Instant end, String why) {
        try {
            housekeeping.execute(() -> finish(recording, end, why));
        } catch (RejectedExecutionException e) {
            log.warn("recording {}: left for the next start to finalize ({})", recording.id(), e.toString());
        }
    }

    private static long fileSize(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * A session ended: its DVR window, if any, gets its end and is let go one window length later (on the finalizing
     * thread, as finalizing: the fragment file is deleted by whichever of the two comes second).
     */
    private void dvrEnded(Running running) {
        if (running.dvr != null) {
            running.dvr.end();
            releaseLater(running.recording.room(), running.dvr, Math.round(running.dvr.windowSeconds() * 1000));
        }
    }

    /** Lets a DVR window go after {@code delayMs}: unpinned, and its fragment file deleted once its recording is ready. */
    private void releaseLater(String room, DvrWindow window, long delayMs) {
        Runnable release = () -> {
            windows.remove(room, window);
            if (pinned.remove(window.recordingId())) {
                Optional<Recording> recording = catalogue.find(window.recordingId());
                if (recording.isPresent() && recording.get().state() == RecordingState.READY) {
                    try {
                        Files.deleteIfExists(catalogue.fragments(window.recordingId()));
                    } catch (IOException e) {
                        log.warn("recording {}: fragment file not deleted: {}", window.recordingId(), e.toString());
                    }
                }
            }
        };
        try {
            if (delayMs <= 0) {
                housekeeping.execute(release);
            } else {
                housekeeping.schedule(release, delayMs, TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException e) {
            // closing: a finalized recording's fragment file is deleted at the next start
        }
    }

    /** One running session. */
    private static final class Running implements RoomRecorder.Session {
        final Recording recording;
        final FragmentWriter writer;
        final DvrWindow dvr;
        long reported;

        Running(Recording recording, FragmentWriter writer, DvrWindow dvr) {
            this.recording = recording;
            this.writer = writer;
            this.dvr = dvr;
        }

        @Override
        public FragmentWriter writer() {
            return writer;
        }
    }

    private final RoomRecorder.Owner owner = new RoomRecorder.Owner() {
        @Override
        public boolean mayStart() {
            if (closed || lowSpace) {
                return false;
            }
            try {
                return freeSpace.usable(catalogue.directory()) >= floor;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public RoomRecorder.Session started(String room, TrackSetup tracks, long fragmentMs, RoomRecorder recorder) {
            Instant start = clock.instant();
            String id = catalogue.newId(room, start);
            Path file = catalogue.fragments(id);
            Recording recording = new Recording(id, room, start, null, 0, 0, tracks.codecs(), RecordingState.RECORDING, file, null);
            DvrWindow dvr = recorder.dvrWindowMs() > 0 ? new DvrWindow(id, file, recorder.dvrWindowMs(), fragmentMs) : null;
            try {
                FragmentWriter writer = new FragmentWriter(file, tracks, fragmentMs, allocator,
                        dvr == null ? FragmentWriter.Written.NONE : dvr::fragment);
                catalogue.put(recording);
                inProgress.incrementAndGet();
                Running running = new Running(recording, writer, dvr);
                if (dvr != null) {
                    dvr.init((int) writer.bytes());
                    pinned.add(id);
                }
                // The last session's window goes, replaced, or not (its room's window was switched off since).
                DvrWindow before = dvr != null ? windows.put(room, dvr) : windows.get(room);
                if (before != null) {
                    releaseLater(room, before, 0);
                }
                running.reported = writer.bytes();
                bytesWritten.add(writer.bytes());
                log.info("recording {}: started ({}) in {}", id, String.join(", ", tracks.codecs()), file.getParent());
                events.started(recording);
                return running;
            } catch (IOException | RuntimeException e) {
                failures.increment();
                log.warn("room {}: recording could not start: {}", room, e.toString());
                try {
                    catalogue.delete(id);
                } catch (IOException ignored) {
                    // nothing was written worth keeping
                }
                events.failed(recording.with(RecordingState.FAILED, start, 0, 0, file, e.toString()));
                return null;
            }
        }

        @Override
        public void written(RoomRecorder.Session session, long bytes) {
            Running running = (Running) session;
            if (bytes != running.reported) {
                bytesWritten.add(bytes - running.reported);
                running.reported = bytes;
                catalogue.size(running.recording.id(), bytes);
            }
        }

        @Override
        public void ended(RoomRecorder.Session session, String why) {
            Running running = (Running) session;
            inProgress.decrementAndGet();
            if (LOW_SPACE.equals(why)) {
                lowSpaceStops.increment();
            }
            try {
                running.writer.close();
                written(session, running.writer.bytes());
            } catch (IOException e) {
                log.warn("recording {}: last fragment not written: {}", running.recording.id(), e.toString());
            }
            dvrEnded(running);
            log.info("recording {}: session ended ({})", running.recording.id(), why);
            finishLater(running.recording, clock.instant(), why);
        }

        @Override
        public void restart(RoomRecorder old) {
            rooms.computeIfPresent(old.room(), (room, current) -> {
                if (current != old || closed) {
                    return current;
                }
                // Read here: an attach changing them again does so under this same key's lock.
                boolean fromPublish = old.nextFromPublish();
                long dvrMs = old.nextDvrWindowMs();
                RoomRecorder next = new RoomRecorder(old.stream(), threads.next(), settings.grace().toMillis(),
                        settings.fragment().toMillis(), this, fromPublish, dvrMs);
                next.start();
                log.info("room {}: recordings start {} from now on, with {}", room,
                        fromPublish ? "at the publish" : "once on the air",
                        dvrMs > 0 ? "a live DVR window of " + dvrMs / 1000.0 + " s" : "no live DVR window");
                return next;
            });
        }

        @Override
        public void writeFailed(RoomRecorder.Session session, Throwable error) {
            Running running = (Running) session;
            inProgress.decrementAndGet();
            running.writer.abandon();
            dvrEnded(running);
            floor = settings.minFreeBytes() + RESUME_MARGIN_BYTES;
            lowSpace = true;
            log.warn("recording {}: writing failed ({}); finalizing what was written; no recording starts until {} bytes "
                    + "are free", running.recording.id(), error.toString(), floor);
            finishLater(running.recording, clock.instant(), "writing failed: " + error.getMessage());
        }
    };

    /**
     * Detaches every room, finalizes their running sessions and stops the threads, waiting at most
     * {@value #CLOSE_WAIT_SECONDS} s; a session not finalized by then is finalized at the next start.
     */
    @Override
    public void close() {
        closed = true;
        pinned.clear(); // recordings finalized from now on lose their fragment files at once; no window is served
        windows.clear();
        for (String room : List.copyOf(rooms.keySet())) {
            RoomRecorder recorder = rooms.remove(room);
            if (recorder != null) {
                recorder.close("the server is shutting down");
            }
        }
        // The recording threads first: their sessions' last fragments are written and handed to the finalizer.
        boolean done = threads.shutdownGracefully(0, CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)
                .awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        done &= housekeeping.shutdownGracefully(0, CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)
                .awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        if (!done) {
            log.warn("recording threads still busy after {} s; unfinished recordings are finalized at the next start",
                    CLOSE_WAIT_SECONDS);
        }
    }
}
