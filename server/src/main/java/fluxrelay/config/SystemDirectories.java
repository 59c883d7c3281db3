package fluxrelay.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Directories of the operating system that the server must never write into: the HLS packager creates and deletes
 * files in its directory, so {@code relay.hls.directory = "/etc"} (or a symbolic link to it) would damage the machine.
 */
final class SystemDirectories {

    /** Refused themselves; what lies inside them is fine (e.g. {@code /var/lib/fluxrelay}, {@code /run/fluxrelay}). */
    private static final List<String> ITSELF = List.of("/", "/root", "/var", "/run");
    /** Refused with everything inside them. */
    private static final List<String> TREES = List.of("/etc", "/bin", "/sbin", "/usr", "/boot", "/dev", "/proc", "/sys",
            "/lib", "/lib32", "/lib64", "/libx32");

    private SystemDirectories() {
    }

    /**
     * Throws when {@code value} names a system directory, as given (made absolute and normalised) or after symbolic
     * links are followed (for a directory that does not exist yet, those of its nearest existing parent).
     *
     * @param key the key, for the error
     */
    static void refuse(String key, String value) {
        Path given = Path.of(value).toAbsolutePath().normalize();
        for (Path path : List.of(given, resolved(given))) {
            if (isSystem(path)) {
                throw new ConfigException(key + ": '" + value + "' is a system directory"
                        + (path.equals(given) ? "" : " (it leads to " + path + ")")
                        + "; use a directory of its own such as /var/lib/fluxrelay/hls");
            }
        }
    }

    static boolean isSystem(Path path) {
        for (String dir : ITSELF) {
            if (path.equals(Path.of(dir).toAbsolutePath())) {
                return true;
            }
        }
        for (String dir : TREES) {
            if (path.startsWith(Path.of(dir).toAbsolutePath())) {
                return true;
            }
        }
        return false;
    }

    /** The path with symbolic links followed as far as it exists; the rest appended as given. */
    private static Path resolved(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(path)).normalize();
        } catch (IOException | SecurityException e) {
            return path;
        }
    }
}
