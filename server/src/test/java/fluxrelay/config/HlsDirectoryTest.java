package fluxrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code relay.hls.directory} is never a directory of the operating system: the packager deletes files there. */
class HlsDirectoryTest {

    private static String directory(String dir) {
        return new ConfigLoader(() -> "generated-key-0123456789").from(ConfigFactory.parseString("relay.hls.directory = \""
                + dir.replace("\\", "\\\\") + "\"").withFallback(ConfigFactory.defaultReference()).resolve()).hls().directory();
    }

    private static String refused(String dir) {
        return assertThrows(ConfigException.class, () -> directory(dir)).getMessage();
    }

    @Test
    void systemDirectoriesAreRefusedWithAHint() {
        assertEquals("relay.hls.directory: '/etc' is a system directory; use a directory of its own such as /var/lib/fluxrelay/hls",
                refused("/etc"));
        for (String dir : new String[] {"/", "/etc/", "/etc/fluxrelay", "/usr", "/usr/local/share/hls", "/bin", "/sbin/x", "/boot",
                "/dev", "/dev/shm/hls", "/proc", "/sys/x", "/lib", "/lib64/x", "/root", "/var", "/run", "/var/../etc",
                "/tmp/../usr/lib"}) {
            assertTrue(refused(dir).startsWith("relay.hls.directory: '" + dir + "' is a system directory"), dir);
        }
    }

    @Test
    void directoriesOfTheirOwnAreAccepted(@TempDir Path tmp) {
        assertEquals("", directory(""));
        assertEquals("/var/lib/fluxrelay/hls", directory("/var/lib/fluxrelay/hls"));
        assertEquals("/run/fluxrelay/hls", directory("/run/fluxrelay/hls"));
        assertEquals("/root/hls", directory("/root/hls"));
        assertEquals("hls-out", directory("hls-out"));
        assertEquals(tmp.resolve("hls").toString(), directory(tmp.resolve("hls").toString()));
    }

    @Test
    void aSymbolicLinkToASystemDirectoryIsFollowed(@TempDir Path tmp) throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("looks-harmless"), Path.of("/etc"));
        assertTrue(refused(link.toString()).contains("is a system directory (it leads to /etc)"), refused(link.toString()));
        assertTrue(refused(link.resolve("not-yet/hls").toString()).contains("(it leads to /etc/not-yet/hls)"),
                "a directory still to be made inside the link's target");
    }
}
