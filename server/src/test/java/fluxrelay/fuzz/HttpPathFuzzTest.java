package fluxrelay.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import fluxrelay.http.HttpRouter;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;

/**
 * {@code HttpRouter.safePath} (package-private, reached through a method handle) on arbitrary request
 * targets, read as the HTTP decoder reads a request line (one char per byte). It never throws, and a
 * path it lets through is exactly the decoded path of the target and {@link #assertSafe safe}.
 * Seeds: the request targets of the captured curl and ffprobe requests, traversal attempts included.
 */
class HttpPathFuzzTest {

    private static final MethodHandle SAFE_PATH = safePathHandle();

    @FuzzTest
    void safePath(byte[] input) throws Throwable {
        String uri = new String(input, StandardCharsets.ISO_8859_1);
        String path = (String) SAFE_PATH.invokeExact(uri);
        if (path != null) {
            assertEquals(new QueryStringDecoder(uri).path(), path, "the decoded path of " + uri);
            assertSafe(path);
        }
    }

    /** What no route may ever see: a relative path, a dot segment, a backslash or a control character. */
    static void assertSafe(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            throw new AssertionError("relative path reached a route: " + path);
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new AssertionError("dot segment reached a route: " + path);
            }
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '\\') {
                throw new AssertionError(String.format("character U+%04X reached a route: %s", (int) c, path));
            }
        }
    }

    private static MethodHandle safePathHandle() {
        try {
            return MethodHandles.privateLookupIn(HttpRouter.class, MethodHandles.lookup())
                    .findStatic(HttpRouter.class, "safePath", MethodType.methodType(String.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("HttpRouter.safePath(String) is gone: update this fuzz test", e);
        }
    }
}
