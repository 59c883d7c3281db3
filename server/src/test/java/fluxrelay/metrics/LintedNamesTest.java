package fluxrelay.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The exposition passes the rules {@code promtool check metrics} lints (the smoke test runs promtool itself). */
class LintedNamesTest {

    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE);

    @Test
    void everyFamilyHasHelpAndALintCleanName() {
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (RelayMetrics metrics = new RelayMetrics(workers, List.of())) {
            String text = metrics.scrape();
            Matcher type = TYPE.matcher(text);
            int families = 0;
            while (type.find()) {
                families++;
                String name = type.group(1);
                assertTrue(Pattern.compile("^# HELP " + Pattern.quote(name) + " \\S", Pattern.MULTILINE).matcher(text).find(),
                        "no help text for " + name);
                assertTrue(!name.contains("_ns_") && !name.endsWith("_ns"), "abbreviated unit in " + name);
                if (!type.group(2).equals("histogram") && !type.group(2).equals("summary")) {
                    assertTrue(!name.endsWith("_count") && !name.endsWith("_sum") && !name.endsWith("_bucket"),
                            "reserved suffix on " + type.group(2) + " " + name);
                }
            }
            assertTrue(families > 10, "expected JVM, Netty and relay families, got " + families);
            assertEquals(1, text.lines().filter(l -> l.startsWith("# TYPE system_cpu_available ")).count());
        } finally {
            workers.shutdownGracefully().syncUninterruptibly();
        }
    }
}
