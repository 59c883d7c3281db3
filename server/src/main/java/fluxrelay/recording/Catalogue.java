package fluxrelay.recording;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recordings in the directory: each one's files are {@code ID.fmp4} (fragments, while recording or after a
 * crash), {@code ID.mp4} (finalized) and {@code ID.properties}, its catalogue entry, rewritten whole (through a
 * temporary file moved into place) at each change of state, so the catalogue survives restarts and crashes.
 * Thread-safe.
 */
final class Catalogue {

    static final String FRAGMENTS = ".fmp4";
    static final String FINAL = ".mp4";
    static final String ENTRY = ".properties";
    private static final Logger log = LoggerFactory.getLogger(Catalogue.class);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path directory;
    private final Map<String, Recording> recordings = new ConcurrentHashMap<>();

    Catalogue(Path directory) {
        this.directory = directory;
    }

    Path directory() {
        return directory;
    }

    /** Reads every entry in the directory; returns those left recording or finalizing (a crash or a kill). */
    List<Recording> load() throws IOException {
        Files.createDirectories(directory);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + ENTRY)) {
            for (Path entry : entries) {
                try {
                    Recording recording = read(entry);
                    recordings.put(recording.id(), recording);
                    if (recording.state() == RecordingState.READY) {
                        Files.deleteIfExists(fragments(recording.id())); // left by a crash just after finalizing
                    }
                } catch (IOException | RuntimeException e) {
                    log.warn("recording entry {} unreadable, ignored: {}", entry.getFileName(), e.toString());
                }
            }
        }
        return recordings.values().stream()
                .filter(r -> r.state() == RecordingState.RECORDING || r.state() == RecordingState.FINALIZING)
                .sorted(Comparator.comparing(Recording::start)).toList();
    }

    /** A new, unused id for a recording of {@code room} starting at {@code start}. */
    synchronized String newId(String room, Instant start) {
        String base = room + "-" + ID_TIME.format(start);
        String id = base;
        for (int n = 2; recordings.containsKey(id) || Files.exists(directory.resolve(id + ENTRY)); n++) {
            id = base + "-" + n;
        }
        recordings.put(id, new Recording(id, room, start, null, 0, 0, List.of(), RecordingState.RECORDING, fragments(id), null));
        return id;
    }

    Path fragments(String id) {
        return directory.resolve(id + FRAGMENTS);
    }

    Path finalFile(String id) {
        return directory.resolve(id + FINAL);
    }

    /** Records a new state of a recording, in memory and on disk. */
    void put(Recording recording) throws IOException {
        recordings.put(recording.id(), recording);
        Properties p = new Properties();
        p.setProperty("id", recording.id());
        p.setProperty("room", recording.room());
        p.setProperty("start", recording.start().toString());
        if (recording.end() != null) {
            p.setProperty("end", recording.end().toString());
        }
        p.setProperty("duration", Double.toString(recording.durationSeconds()));
        p.setProperty("size", Long.toString(recording.size()));
        p.setProperty("codecs", String.join(",", recording.codecs()));
        p.setProperty("state", recording.state().name());
        p.setProperty("file", recording.file().getFileName().toString());
        if (recording.error() != null) {
            p.setProperty("error", recording.error());
        }
        Path entry = directory.resolve(recording.id() + ENTRY);
        Path temporary = directory.resolve(recording.id() + ENTRY + ".tmp");
        try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            p.store(out, "fluxrelay recording");
        }
        Files.move(temporary, entry, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Updates the size kept in memory (written to disk at the next state change). */
    void size(String id, long size) {
        recordings.computeIfPresent(id, (key, r) -> r.withSize(size));
    }

    Optional<Recording> find(String id) {
        return Optional.ofNullable(recordings.get(id));
    }

    /** Every recording, oldest first. */
    List<Recording> all() {
        return recordings.values().stream().sorted(Comparator.comparing(Recording::start).thenComparing(Recording::id)).toList();
    }

    /** Forgets a recording and deletes its files. */
    void delete(String id) throws IOException {
        Recording removed = recordings.remove(id);
        if (removed == null) {
            return;
        }
        for (String suffix : List.of(FRAGMENTS, FINAL, FINAL + ".tmp", ENTRY)) {
            Files.deleteIfExists(directory.resolve(id + suffix));
        }
    }

    private Recording read(Path entry) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(entry, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        String id = p.getProperty("id");
        if (id == null || !entry.getFileName().toString().equals(id + ENTRY)) {
            throw new IOException("entry names another recording");
        }
        String codecs = p.getProperty("codecs", "");
        String end = p.getProperty("end");
        Path file = directory.resolve(p.getProperty("file", id + FRAGMENTS)).normalize();
        if (!file.getParent().equals(directory.normalize())) {
            throw new IOException("entry points outside the directory");
        }
        long size = Files.exists(file) ? Files.size(file) : Long.parseLong(p.getProperty("size", "0"));
        return new Recording(id, p.getProperty("room"), Instant.parse(p.getProperty("start")), end == null ? null : Instant.parse(end),
                Double.parseDouble(p.getProperty("duration", "0")), size,
                codecs.isEmpty() ? List.of() : Arrays.asList(codecs.split(",")),
                RecordingState.valueOf(p.getProperty("state")), file, p.getProperty("error"));
    }
}
