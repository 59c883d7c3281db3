package fluxrelay.hls;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors rooms' segments and playlists into a directory ({@code ROOT/{room-id}/}, an input other than the main one
 * in {@code ROOT/{room-id}/{input-id}/}, as the URLs) on its own thread, so no event loop or packaging thread ever
 * waits on a disk. Each file appears whole: it is written under a temporary name and renamed, so a web server or CDN
 * origin serving the folder never sends half a file.
 * Segments are written before the playlists that list them.
 */
final class DirectoryWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DirectoryWriter.class);

    private final DirectorySettings settings;
    private final ExecutorService disk;
    private final AtomicLong queued = new AtomicLong();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private volatile boolean warnedFull;

    DirectoryWriter(DirectorySettings settings) {
        this.settings = settings;
        this.disk = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, "hls-disk");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Queues a segment file; takes over {@code data}'s reference. */
    void segment(String roomId, String name, ByteBuf data) {
        int size = data.readableBytes();
        if (!reserve(roomId, size)) {
            data.release();
            return;
        }
        submit(roomId, size, data::release, () -> {
            try (FileChannel channel = FileChannel.open(temp(roomId, name), StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                for (ByteBuffer part : data.nioBuffers()) {
                    while (part.hasRemaining()) {
                        channel.write(part);
                    }
                }
            } finally {
                data.release();
            }
            publish(roomId, name);
        });
    }

    /** Queues a playlist file (rewritten whole). */
    void playlist(String roomId, String name, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (!reserve(roomId, bytes.length)) {
            return;
        }
        submit(roomId, bytes.length, () -> { }, () -> {
            Files.write(temp(roomId, name), bytes);
            publish(roomId, name);
        });
    }

    /** Queues the removal of a segment file that left memory, unless segments are kept. */
    void delete(String roomId, String name) {
        if (settings.keepSegments()) {
            return;
        }
        submit(roomId, 0, () -> { }, () -> Files.deleteIfExists(folder(roomId).resolve(name)));
    }

    /** Queues the removal of a room's file whatever the settings (a deleted room's playlists). */
    void remove(String roomId, String name) {
        submit(roomId, 0, () -> { }, () -> Files.deleteIfExists(settings.root().resolve(roomId).resolve(name)));
    }

    /** Writes and deletes that failed or were dropped for a room. */
    long failures(String roomId) {
        LongAdder count = failures.get(roomId);
        return count == null ? 0 : count.sum();
    }

    private interface DiskTask {
        void run() throws IOException;
    }

    private boolean reserve(String roomId, int size) {
        if (queued.addAndGet(size) > settings.maxQueuedBytes()) {
            queued.addAndGet(-size);
            failures.computeIfAbsent(roomId, id -> new LongAdder()).increment();
            if (!warnedFull) {
                warnedFull = true;
                log.warn("HLS directory {}: the disk is too slow, writes are being dropped", settings.root());
            }
            return false;
        }
        warnedFull = false;
        return true;
    }

    private void submit(String roomId, int size, Runnable discard, DiskTask task) {
        Queued queuedTask = new Queued(roomId, size, discard, task);
        try {
            disk.execute(queuedTask);
        } catch (RejectedExecutionException e) {
            queuedTask.discard();
        }
    }

    /** A disk task that, if never run, still gives back its reservation and buffer. */
    private final class Queued implements Runnable {
        private final String roomId;
        private final int size;
        private final Runnable discard;
        private final DiskTask task;

        Queued(String roomId, int size, Runnable discard, DiskTask task) {
            this.roomId = roomId;
            this.size = size;
            this.discard = discard;
            this.task = task;
        }

        @Override
        public void run() {
            try {
                task.run();
            } catch (IOException | RuntimeException e) {
                failures.computeIfAbsent(roomId, id -> new LongAdder()).increment();
                log.warn("HLS directory: writing for room {} failed: {}", roomId, e.toString());
            } finally {
                queued.addAndGet(-size);
            }
        }

        void discard() {
            queued.addAndGet(-size);
            discard.run();
        }
    }

    private Path folder(String roomId) throws IOException {
        return Files.createDirectories(settings.root().resolve(roomId));
    }

    private Path temp(String roomId, String name) throws IOException {
        return folder(roomId).resolve("." + name + ".tmp");
    }

    private void publish(String roomId, String name) throws IOException {
        Path folder = folder(roomId);
        Files.move(folder.resolve("." + name + ".tmp"), folder.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Finishes queued writes (a few seconds at most), then stops. */
    @Override
    public void close() {
        disk.shutdown();
        try {
            if (!disk.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("HLS directory: writes still queued at shutdown were abandoned");
                abandon();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon();
        }
    }

    private void abandon() {
        for (Runnable left : disk.shutdownNow()) {
            if (left instanceof Queued task) {
                task.discard();
            }
        }
    }
}
