package fluxrelay.ladder;

import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.codec.CodecFormatException;
import fluxrelay.media.codec.CodecInfo;
import fluxrelay.playback.InternalPlays;
import fluxrelay.rooms.Room;
import fluxrelay.rooms.RoomRegistry;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.FeedTap;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.StreamRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the ladders of the rooms that declare one: taps each such room's program hub and, while the program is live
 * with a single rendition from its encoder, keeps one ffmpeg process for the room running ({@link RoomLadder}), with
 * every rung lower than the program's picture. The process stops when the program's publish ends, when the encoder
 * turns out to send its own renditions (multitrack, or the room's rendition stream names publishing), when the room's
 * ladder is removed and at close; a room whose ladder changed ({@link #changed}) has it restarted with the new rungs.
 *
 * <p>All decisions and process handling run on one thread of its own, never on an event loop; the hub's tap only posts
 * to it.
 */
public final class LadderSupervisor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LadderSupervisor.class);
    /**
     * The wait after the program's first video header before a ladder starts: a multitrack encoder announces its extra
     * tracks right after the first, and then needs no ladder.
     */
    static final Duration START_DELAY = Duration.ofSeconds(1);
    /** How often the running processes' CPU time is read (so a killed one's is known). */
    static final Duration CPU_SAMPLE_EVERY = Duration.ofSeconds(2);

    /**
     * How the processes run.
     *
     * @param ffmpeg the executable
     * @param preset the x264 preset
     * @param maxProcesses processes running (or waiting to restart) at once
     * @param restartMin first wait before a restart
     * @param restartMax longest wait before a restart
     * @param host the loopback address of this server's RTMP listener
     * @param rtmpPort its port (known once bound)
     */
    public record Settings(String ffmpeg, String preset, int maxProcesses, Duration restartMin, Duration restartMax,
                           String host, IntSupplier rtmpPort) {
    }

    private final Settings settings;
    private final Function<String, List<Rung>> ladders;
    private final RoomRegistry rooms;
    private final StreamRegistry streams;
    private final Function<String, List<String>> renditionInputs;
    private final LadderSignature signature;
    private final ScheduledExecutorService thread;
    /**
     * Per room that has (or had) a ladder since its program hub was made, in room order; added to under {@link #watching},
     * their state touched on {@link #thread} only.
     */
    private final ConcurrentSkipListMap<String, Watch> watches = new ConcurrentSkipListMap<>();
    private final Object watching = new Object();

    /**
     * @param ladders the rungs of a room's ladder as the room is now (empty: none), read at each decision
     * @param renditionInputs the rendition ids a room binds to stream names (while one publishes, the ladder stays off)
     */
    public LadderSupervisor(Settings settings, Function<String, List<Rung>> ladders, RoomRegistry rooms, StreamRegistry streams,
                            Function<String, List<String>> renditionInputs, LadderSignature signature) {
        this.settings = settings;
        this.ladders = ladders;
        this.rooms = rooms;
        this.streams = streams;
        this.renditionInputs = renditionInputs;
        this.signature = signature;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ladder");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleAtFixedRate(() -> watches.values().forEach(w -> w.ladder.sampleCpu()), CPU_SAMPLE_EVERY.toMillis(),
                CPU_SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        log.info("ladder: rooms with a ladder make renditions with {} (at most {} processes)", settings.ffmpeg(),
                settings.maxProcesses());
    }

    /** Taps a program hub as it is made, when its room has a ladder (or had one since an earlier hub). */
    public void attach(LiveStream program) {
        if (program.feedId().isProgram()) {
            watch(program, !ladders.apply(program.roomId()).isEmpty());
        }
    }

    /**
     * Taps a rendition hub as it is made: while one of the room's rendition stream names publishes the ladder stays off,
     * so each start and end of a publish there has the room's ladder considered again (the ladder's own rungs publish
     * into rendition hubs too; only the room's rendition stream names count, see {@link #reasonToStayOff}).
     */
    public void attachRendition(LiveStream rendition) {
        if (!rendition.feedId().isRendition()) {
            return;
        }
        String room = rendition.roomId();
        rendition.tap(new FeedTap() {
            @Override
            public void onPublishStart(FeedId feed) {
                reconsider(room);
            }

            @Override
            public void onFrame(FeedId feed, MediaFrame frame) {
            }

            @Override
            public void onPublishStop(FeedId feed) {
                reconsider(room);
            }
        });
    }

    private void reconsider(String room) {
        Watch watch = watches.get(room);
        if (watch != null) {
            post(() -> consider(watch));
        }
    }

    /** Taps {@code program} with its room's watch, made when {@code make}; each hub is tapped once. */
    private Watch watch(LiveStream program, boolean make) {
        synchronized (watching) {
            Watch watch = watches.get(program.roomId());
            if (watch == null && make) {
                watch = new Watch(program.roomId());
                watches.put(program.roomId(), watch);
            }
            if (watch != null && watch.tapped != program) {
                watch.tapped = program;
                program.tap(watch);
            }
            return watch;
        }
    }

    /**
     * The room's ladder changed (added, rungs changed, removed) or the room was deleted: a running ladder is stopped and
     * the room's ladder is considered again with its rungs as they are now. A room that had no ladder gets its live
     * program tapped now.
     */
    public void changed(String roomId) {
        boolean has = !ladders.apply(roomId).isEmpty();
        Watch watch = streams.find(FeedId.program(roomId)).map(program -> watch(program, has)).orElse(null);
        Watch known = watch != null ? watch : watches.get(roomId);
        if (known != null) {
            post(() -> {
                known.ladder.stop("the room's ladder changed");
                known.toldSkipped = false;
                known.toldAllSkipped = false;
                consider(known);
            });
        }
    }

    /** The ladder of a room, if it has one. */
    public Optional<LadderSnapshot> snapshot(String roomId) {
        Watch watch = watches.get(roomId);
        return watch == null || ladders.apply(roomId).isEmpty() ? Optional.empty() : Optional.of(watch.ladder.snapshot());
    }

    /** Every room's ladder, by room id. */
    public List<LadderSnapshot> snapshots() {
        return watches.values().stream().filter(w -> !ladders.apply(w.room).isEmpty()).map(w -> w.ladder.snapshot()).toList();
    }

    /** Ladder processes running now. */
    public int running() {
        return (int) snapshots().stream().filter(s -> s.pid() != 0).count();
    }

    private void post(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // closed: nothing more runs
        }
    }

    /** Decides whether a room's ladder runs, with which rungs; on the ladder thread. */
    private void consider(Watch w) {
        RoomLadder ladder = w.ladder;
        String why = reasonToStayOff(w);
        if (why != null) {
            ladder.stop(why);
            startWaiting();
            return;
        }
        List<String> chosen = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<LadderCommand.Output> outputs = new ArrayList<>();
        Optional<Room> room = rooms.findById(w.room);
        for (Rung rung : ladders.apply(w.room)) {
            if (rung.height() >= w.height) {
                skipped.add(rung.id() + " (the program is " + w.height + " lines high)");
            } else {
                chosen.add(rung.id());
                outputs.add(new LadderCommand.Output(rung, url(room.get().app(), signature.publishName(w.room, rung.id()))));
            }
        }
        if (chosen.isEmpty()) {
            if (!w.toldAllSkipped) {
                w.toldAllSkipped = true;
                log.info("room {}: no ladder rung is below the program's {} lines; no rendition made", w.room, w.height);
            }
            ladder.stop("no rung below the program's height");
            ladder.skipped(skipped);
            startWaiting();
            return;
        }
        if (!skipped.isEmpty() && !w.toldSkipped) {
            w.toldSkipped = true;
            log.info("room {}: ladder rungs {} skipped: not below the program's picture", w.room, skipped);
        }
        if (ladder.running()) {
            if (chosen.equals(ladder.rungs())) {
                return;
            }
            ladder.stop("the program's picture changed to " + w.height + " lines");
        }
        if (ladder.restarting()) {
            return; // its backoff runs; the restart considers again
        }
        long busy = watches.values().stream().filter(o -> o != w && (o.ladder.running() || o.ladder.restarting())).count();
        if (busy >= settings.maxProcesses()) {
            if (!w.toldWaiting) {
                w.toldWaiting = true;
                log.warn("room {}: ladder waits: {} ladder processes run already (relay.ladder.max-processes)", w.room, busy);
            }
            ladder.waiting();
            return;
        }
        w.toldWaiting = false;
        String input = url(InternalPlays.APP, signature.playName(w.room));
        ladder.start(LadderCommand.of(settings.ffmpeg(), settings.preset(), input, outputs), chosen, skipped);
    }

    /** Why a room's ladder must not run now, or null when it should. */
    private String reasonToStayOff(Watch w) {
        if (!w.live || w.height <= 0) {
            return "the program's publish ended";
        }
        if (w.multitrack) {
            return "the encoder sends its own renditions (multitrack)";
        }
        if (rooms.findById(w.room).isEmpty()) {
            return "the room is gone";
        }
        if (ladders.apply(w.room).isEmpty()) {
            return "the room has no ladder";
        }
        if (streams.find(FeedId.program(w.room)).map(LiveStream::relayed).orElse(false)) {
            return "the program is pulled from another node of the cluster, whose ladder makes the renditions";
        }
        for (String id : renditionInputs.apply(w.room)) {
            if (streams.find(FeedId.rendition(w.room, id)).map(s -> s.snapshot().publishing()).orElse(false)) {
                return "the room's rendition stream name '" + id + "' publishes";
            }
        }
        return null;
    }

    /** Rooms waiting for a free process slot get it, in room order. */
    private void startWaiting() {
        for (Watch w : watches.values()) {
            if (w.ladder.snapshot().state().equals("waiting")) {
                consider(w);
            }
        }
    }

    private String url(String app, String name) {
        return "rtmp://" + settings.host() + ":" + settings.rtmpPort().getAsInt() + "/" + app + "/" + name;
    }

    /** Stops every process (killed at once: the server stops) and the ladder's thread. */
    @Override
    public void close() {
        post(() -> watches.values().forEach(w -> w.ladder.kill()));
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A room's program as the ladder sees it: the hub's tap, posting what it hears to the ladder's thread. */
    private final class Watch implements FeedTap {
        final String room;
        final RoomLadder ladder;
        /** The program hub tapped last (under {@link #watching}). */
        LiveStream tapped;
        /** Ladder-thread state of the current publish. */
        boolean live;
        int height;
        boolean multitrack;
        boolean toldSkipped;
        boolean toldAllSkipped;
        boolean toldWaiting;
        /** Hub-thread state: the last header's height, and whether an extra video track was seen this publish. */
        private int heardHeight;
        private boolean heardMultitrack;

        Watch(String room) {
            this.room = room;
            this.ladder = new RoomLadder(room, thread, new Backoff(settings.restartMin(), settings.restartMax()),
                    () -> consider(this));
        }

        @Override
        public void onPublishStart(FeedId feed) {
            heardHeight = 0;
            heardMultitrack = false;
            post(() -> {
                live = true;
                height = 0;
                multitrack = false;
                toldSkipped = false;
                toldAllSkipped = false;
                ladder.resetBackoff();
            });
        }

        @Override
        public void onFrame(FeedId feed, MediaFrame frame) {
            if (frame instanceof VideoFrame video && video.isSequenceHeader()) {
                int h;
                try {
                    h = CodecInfo.fromSequenceHeader(video).height();
                } catch (CodecFormatException | IllegalArgumentException e) {
                    return;
                }
                if (h != heardHeight) {
                    boolean first = heardHeight == 0;
                    heardHeight = h;
                    post(() -> {
                        height = h;
                        if (first) {
                            thread.schedule(() -> consider(this), START_DELAY.toMillis(), TimeUnit.MILLISECONDS);
                        } else {
                            consider(this);
                        }
                    });
                }
            }
        }

        @Override
        public void onTrackFrame(FeedId feed, MediaFrame frame) {
            if (frame instanceof VideoFrame && !heardMultitrack) {
                heardMultitrack = true;
                post(() -> {
                    multitrack = true;
                    consider(this);
                });
            }
        }

        @Override
        public void onPublishStop(FeedId feed) {
            post(() -> {
                live = false;
                consider(this);
            });
        }
    }
}
