package fluxrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code config/reference.conf} is the configuration reference the documentation points to: every key in it carries a
 * comment (its own, or the one heading its group), and every {@code relay.*} key the README or a page under
 * {@code docs/} names exists in it.
 */
class ConfigurationReferenceTest {

    private static final Path REFERENCE = Path.of("..", "config", "reference.conf");
    private static final Path README = Path.of("..", "README.md");
    private static final Path DOCS = Path.of("..", "docs");
    private static final Pattern KEY_IN_TEXT = Pattern.compile("(?<![/\\w-])relay(\\.[a-z][a-z0-9-]*)+");
    /** Config file names in the documentation that read like keys. */
    private static final Set<String> FILE_NAMES = Set.of("relay.conf");
    private static final Pattern ASSIGNMENT = Pattern.compile("^\\s*[A-Za-z0-9\"][^=#]*[=:{].*$");

    private static Config reference() {
        return ConfigFactory.parseFile(REFERENCE.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    }

    @Test
    void everyKeyInTheReferenceIsCommented() throws IOException {
        List<String> lines = Files.readAllLines(REFERENCE);
        List<String> undocumented = new ArrayList<>();
        for (Map.Entry<String, com.typesafe.config.ConfigValue> leaf : reference().entrySet()) {
            int line = leaf.getValue().origin().lineNumber();
            if (line < 1 || !commentedAbove(lines, line - 1)) {
                undocumented.add(leaf.getKey() + " (line " + line + ")");
            }
        }
        assertTrue(undocumented.isEmpty(), "keys without a comment in " + REFERENCE + ": " + undocumented);
    }

    /**
     * Whether a comment heads the key on {@code index}: walking up over the other keys of its group (and the lines
     * opening enclosing blocks) reaches a comment before a blank line or the end of another block.
     */
    private static boolean commentedAbove(List<String> lines, int index) {
        for (int i = index; i >= 0; i--) {
            String line = lines.get(i).strip();
            if (line.startsWith("#") || line.startsWith("//")) {
                return true;
            }
            if (line.isEmpty() || line.startsWith("}") || line.startsWith("]")) {
                return false;
            }
            if (i != index && !ASSIGNMENT.matcher(line).matches()) {
                return false;
            }
        }
        return false;
    }

    /** The README and every page under {@code docs/}, in a stable order. */
    private static List<Path> documentation() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(README);
        try (Stream<Path> files = Files.list(DOCS)) {
            files.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    @Test
    void everyKeyTheDocumentationNamesExists() throws IOException {
        Config reference = reference();
        Set<String> named = new TreeSet<>();
        Set<String> missing = new TreeSet<>();
        List<Path> pages = documentation();
        for (Path page : pages) {
            Matcher m = KEY_IN_TEXT.matcher(Files.readString(page));
            while (m.find()) {
                String key = m.group().replaceAll("\\.$", "");
                if (FILE_NAMES.contains(key)) {
                    continue;
                }
                named.add(key);
                if (!reference.hasPathOrNull(key)) {
                    missing.add(key + " (" + page.getFileName() + ")");
                }
            }
        }
        assertTrue(pages.size() > 1, "the pages under docs/ are read: " + pages);
        assertTrue(named.size() > 10, "the documentation names the keys it explains: " + named);
        assertEquals(Set.of(), missing, "keys the documentation names that config/reference.conf does not have");
    }
}
