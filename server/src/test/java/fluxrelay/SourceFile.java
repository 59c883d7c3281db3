package fluxrelay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Java source file read as text for {@link ArchitectureTest}: its path, its package, and every other package
 * it uses, from import lines and from qualified names written in code. Comments and literals are blanked first.
 */
final class SourceFile {

    /** One use of another package: an import line or a qualified name written in code. */
    record Reference(String kind, String name, int line) {
        @Override
        public String toString() {
            return kind + " " + name + " @" + line;
        }
    }

    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;");
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+(?:\\.\\*)?)\\s*;");
    /** A qualified name in code: a known top-level package, lower-case segments, then a type. */
    private static final Pattern QUALIFIED = Pattern.compile(
            "(?<![\\w.])((?:fluxrelay|java|javax|jdk|sun|com|org|io|net)(?:\\.[a-z_][\\w]*)*\\.[A-Z]\\w*)");

    final String path;
    final String pkg;
    final List<Reference> references;

    private SourceFile(String path, String pkg, List<Reference> references) {
        this.path = path;
        this.pkg = pkg;
        this.references = references;
    }

    static SourceFile read(Path root, Path file) {
        try {
            return parse(root.relativize(file).toString().replace('\\', '/'), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SourceFile parse(String path, String text) {
        String[] lines = codeOnly(text).split("\n", -1);
        String pkg = "";
        List<Reference> references = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            Matcher packageLine = PACKAGE.matcher(lines[i]);
            Matcher importLine = IMPORT.matcher(lines[i]);
            if (packageLine.find()) {
                pkg = packageLine.group(1);
            } else if (importLine.find()) {
                references.add(new Reference("import", importLine.group(1), i + 1));
            } else {
                Matcher qualified = QUALIFIED.matcher(lines[i]);
                while (qualified.find()) {
                    references.add(new Reference("reference", qualified.group(1), i + 1));
                }
            }
        }
        return new SourceFile(path, pkg, List.copyOf(references));
    }

    /** The text with comments, string, text block and character literals blanked; line breaks kept. */
    static String codeOnly(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (text.startsWith("//", i)) {
                i = blank(text, i, text.indexOf('\n', i), out);
            } else if (text.startsWith("/*", i)) {
                i = blank(text, i, end(text.indexOf("*/", i + 2), 2), out);
            } else if (text.startsWith("\"\"\"", i)) {
                i = blank(text, i, end(closing(text, i + 3, "\"\"\""), 3), out);
            } else if (c == '"' || c == '\'') {
                i = blank(text, i, end(closing(text, i + 1, String.valueOf(c)), 1), out);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Where an unescaped {@code quote} starts at or after {@code from}, or -1. */
    private static int closing(String text, int from, String quote) {
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                i++;
            } else if (text.startsWith(quote, i)) {
                return i;
            }
        }
        return -1;
    }

    private static int end(int index, int length) {
        return index < 0 ? -1 : index + length;
    }

    /** Appends blanks for text[from, to) (to the end when to is -1), keeping line breaks; returns to. */
    private static int blank(String text, int from, int to, StringBuilder out) {
        int stop = to < 0 ? text.length() : to;
        for (int i = from; i < stop; i++) {
            out.append(text.charAt(i) == '\n' ? '\n' : ' ');
        }
        return stop;
    }
}
