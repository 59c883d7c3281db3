package fluxrelay.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import fluxrelay.rooms.Feed;
import fluxrelay.rooms.Room;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The rooms changed at runtime, persisted as JSON so they survive a restart (and {@code kill -9} at any
 * moment): written to a temporary file, forced to disk, renamed over the old file, and the directory
 * forced too. A file that cannot be read is refused at start with a clear error, never replaced.
 */
public final class RoomsFile {

    /**
     * The file's shape: a version, every room the server holds, and the ids of configured rooms that were
     * deleted at runtime (so they do not come back from the config file at the next start).
     */
    public record Content(int version, List<RoomSpec> rooms, List<String> deleted) {
    }

    private static final int VERSION = 1;

    private final Path path;
    private final ObjectMapper json = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public RoomsFile(Path path) {
        this.path = path;
    }

    /** The file's location. */
    public Path path() {
        return path;
    }

    /**
     * Reads the persisted rooms; null when the file does not exist yet.
     *
     * @throws IllegalStateException when the file exists but is not a valid rooms file
     */
    public Content load() {
        if (!Files.exists(path)) {
            return null;
        }
        try {
            Content content = json.readValue(path.toFile(), Content.class);
            if (content.version() != VERSION || content.rooms() == null) {
                throw new IllegalStateException("rooms file " + path + " has an unknown version " + content.version());
            }
            for (RoomSpec room : content.rooms()) {
                try {
                    room.program();
                    BandwidthChoice.checkRecordStart(room.recordStart());
                    BandwidthChoice.checkDvrWindow(room.dvrWindow(), null);
                    RenditionFields.checkDistinct(RenditionFields.renditions(room.renditions()),
                            RenditionFields.ladder(room.ladder()), "ladder");
                } catch (AdminException e) {
                    throw new IllegalStateException("rooms file " + path + ": room '" + room.id() + "' has an invalid "
                            + e.field() + " (" + e.getMessage() + "); fix or remove it to start", e);
                }
            }
            return new Content(VERSION, content.rooms(), content.deleted() == null ? List.of() : content.deleted());
        } catch (IOException e) {
            throw new IllegalStateException("rooms file " + path + " is corrupt and was left untouched: " + e.getMessage()
                    + " (fix or remove it to start)", e);
        }
    }

    /**
     * Atomically replaces the file with these rooms and their own bandwidth settings (absent: none). Blocking:
     * call off the event loops.
     */
    public void save(List<Room> rooms, java.util.Map<String, BandwidthChoice> bandwidth, java.util.Collection<String> deleted)
            throws IOException {
        List<RoomSpec> specs = rooms.stream()
                .map(r -> {
                    BandwidthChoice own = bandwidth.getOrDefault(r.id(), BandwidthChoice.NONE);
                    // A one-input room keeps the shorthand, so files stay readable by earlier versions.
                    List<InputSpec> inputs = r.feeds().size() == 1 && r.mainFeed().id().equals(Feed.MAIN) ? null
                            : r.feeds().stream().map(f -> new InputSpec(f.id(), f.streamName(), f.backup() ? f.role() : null)).toList();
                    return new RoomSpec(r.id(), r.title(), r.app(), inputs == null ? r.streamName() : null, r.autoLive(),
                            own.requiredMbps(), own.policy(), inputs, own.viewerAccess(), own.record(),
                            ProgramFields.format(r.program().failoverAfter()), ProgramFields.format(r.program().failbackAfter()),
                            r.program().failback(), own.recordStart(), own.dvrWindow(), RenditionFields.specs(r),
                            RenditionFields.rungs(r));
                })
                .sorted((a, b) -> a.id().compareTo(b.id())).toList();
        byte[] bytes = serialise(new Content(VERSION, specs, deleted.stream().sorted().toList()));
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(java.nio.ByteBuffer.wrap(bytes));
                out.force(true);
            }
            try {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private byte[] serialise(Content content) {
        try {
            return json.writeValueAsBytes(content);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise rooms", e);
        }
    }

    /** Makes the rename durable; a directory cannot be opened for sync on every platform, so failure is tolerated. */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not supported here (e.g. some file systems); the rename itself is still atomic.
        }
    }
}
