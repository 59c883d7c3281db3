package fluxrelay.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The console's and watch page's files, read from the classpath under {@code fluxrelay/web/static/} (where the build
 * puts {@code src/main/web/static} and the pinned hls.js) and kept in memory once read, each with a strong ETag.
 *
 * <p>Only names made of lower-case segments ({@code [a-z0-9][a-z0-9._-]*}, so no {@code ..}, no absolute path, no
 * backslash) with a known extension are looked up: a request can reach no other classpath resource.
 */
final class StaticFiles {

    private static final String ROOT = "fluxrelay/web/static/";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*(\\.[a-z0-9_-]+)*(/[a-z0-9][a-z0-9_-]*(\\.[a-z0-9_-]+)*)*");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json; charset=utf-8",
            "svg", "image/svg+xml");

    /** One file: its bytes, content type and ETag (quoted). */
    record File(byte[] bytes, String contentType, String etag) {
    }

    private final ClassLoader loader;
    /** Files found so far (misses are not kept: any number of names may be asked for). */
    private final Map<String, File> cache = new ConcurrentHashMap<>();

    StaticFiles(ClassLoader loader) {
        this.loader = loader;
    }

    /** The file named {@code name} (relative to the static root), or empty when the name is not allowed or absent. */
    Optional<File> find(String name) {
        if (name.length() > 200 || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        if (type == null || name.lastIndexOf('.') < 0) {
            return Optional.empty();
        }
        File known = cache.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<File> loaded = load(name, type);
        loaded.ifPresent(file -> cache.putIfAbsent(name, file));
        return loaded;
    }

    private Optional<File> load(String name, String type) {
        try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            return Optional.of(new File(bytes, type, etag(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ROOT + name + " from the jar", e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
