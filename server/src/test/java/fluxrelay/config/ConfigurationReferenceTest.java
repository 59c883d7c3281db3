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
import org.junit.jupiter.api.Test;

/**
 * {@code config/reference.conf} is the configuration reference the README points to: every key in it carries a
 * comment (its own, or the one heading its group), and every {@code relay.*} key the README names exists in it.
 */
class ConfigurationReferenceTest {

    private static final Path REFERENCE = Path.of("..", "config", "reference.conf");
    private static final Path README = Path.of("..", "README.md");
    private static final Pattern KEY_IN_TEXT = Pattern.compile("(?<![/\\w-])relay(\\.[a-z][a-z0-9-]*)+");
    /** Config file names in the README that read like keys. */
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

    @Test
    void everyKeyTheReadmeNamesExists() throws IOException {
        Config reference = reference();
        Set<String> named = new TreeSet<>();
        Set<String> missing = new TreeSet<>();
        Matcher m = KEY_IN_TEXT.matcher(Files.readString(README));
        while (m.find()) {
            String key = m.group().replaceAll("\\.$", "");
            if (FILE_NAMES.contains(key)) {
                continue;
            }
            named.add(key);
            if (!reference.hasPathOrNull(key)) {
                missing.add(key);
            }
        }
        assertTrue(named.size() > 10, "the README names the keys it explains: " + named);
        assertEquals(Set.of(), missing, "keys the README names that config/reference.conf does not have");
    }
}
