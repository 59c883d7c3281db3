package fluxrelay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.SourceFile.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the house style (STYLE.md, "Layout of the server module"), held for every package
 * under {@code fluxrelay}: codecs and the hub at the bottom, adapters in the middle, servers at the edges, the
 * composition root on top, nothing importing upward and no cycles.
 *
 * <p>Reads {@code src/main/java} (the module directory Maven runs tests in) as text: {@code import} lines,
 * static and wildcard ones included, and fully qualified names written inline in code; comments, string and
 * character literals are blanked first, so Javadoc links and metric names do not count. Each package has a
 * row in {@link #RULES}: the project packages it may import, the outside packages it may import (JDK,
 * Netty, Micrometer, ...), and why. A package without a row fails the test. Breaks of a rule that the code
 * still has today are listed one by one in {@link #KNOWN_VIOLATIONS} so they stay visible; that list may
 * only shrink, an entry the code no longer needs fails the test too.
 */
class ArchitectureTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final String ROOT = "fluxrelay";

    /** Outside imports are not restricted for this package (an empty list means any). */
    private static final List<String> ANY = List.of();

    /** What one package may import, and why. */
    record Rule(String pkg, Set<String> project, List<String> outside, String why) {
        boolean allowsOutside(String name) {
            return outside.isEmpty() || outside.stream().anyMatch(name::startsWith);
        }
    }

    /** A break of a rule the code still has today: the file, the project package it imports, and the issue that removes it. */
    record KnownViolation(String file, String imports, String note) {
    }

    private static final Map<String, Rule> RULES = rules(
            // composition root
            rule("", all(), ANY, "the composition root: loads config, builds the object graph, starts and stops"),
            // bottom: configuration and protocol-neutral media
            rule("config", none(), List.of("java.", "com.typesafe.config."),
                    "loader and validated records; the only package that sees Typesafe Config"),
            rule("media", none(), List.of("java.", "io.netty.buffer.", "io.netty.util.ReferenceCount"),
                    "protocol-neutral frames over Netty buffers"),
            rule("media.codec", Set.of("media"), List.of("java.util.", "io.netty.buffer."),
                    "SPS/ASC parsing and codec configs for media frames; pure"),
            // RTMP codecs, each importing only its lower layers
            rule("rtmp.handshake", none(), List.of("java.", "javax.crypto.", "io.netty."),
                    "one-shot handshake handler: Netty and the JDK's HMAC only"),
            rule("rtmp.chunk", none(), List.of("java.", "io.netty."), "chunk codec: Netty only"),
            rule("rtmp.amf", none(), List.of("java.", "io.netty.buffer."), "AMF values, readers and writers over buffers"),
            rule("rtmp.message", Set.of("rtmp.chunk", "rtmp.amf"), List.of("java.", "io.netty."),
                    "message codec above the chunk layer, command bodies in AMF"),
            rule("rtmp.command", Set.of("rtmp.message", "rtmp.amf"), List.of("java.", "io.netty.buffer."),
                    "NetConnection/NetStream command records and reply builders; no I/O"),
            // media containers
            rule("flv", Set.of("media", "media.codec"), List.of("java.util.", "java.nio.charset.", "io.netty.buffer."),
                    "FLV tags to and from media frames; never RTMP"),
            rule("hls.ts", Set.of("media", "media.codec"), List.of("java.util.", "io.netty.buffer."),
                    "pure MPEG-TS writer of media frames: no rooms, playlists, config or threads"),
            rule("hls.fmp4", none(), List.of("java.util.", "java.nio.charset.", "io.netty.buffer."),
                    "pure MP4 box writer: Netty buffers only"),
            // the hub and protocol-neutral policy
            rule("stream", Set.of("media", "media.codec"), List.of("java.", "org.slf4j.", "io.netty.util.ReferenceCount"),
                    "the hub: media in, media out; no channels, no RTMP, no HLS, no HTTP"),
            rule("logging", none(), List.of("java."), "log-safe text and per-connection log budgets; the JDK only"),
            rule("rooms", Set.of("config"), List.of("java."), "room bindings and publish policy, protocol-neutral; config records only"),
            rule("bandwidth", none(), List.of("java.", "javax.crypto.", "io.netty.buffer."),
                    "bandwidth judgement, protocol-neutral: the JDK and Netty buffers (probe payload) only"),
            rule("access", none(), List.of("java.", "javax.crypto."),
                    "viewer access tokens and revocations, protocol-neutral: the JDK and its HMAC only"),
            rule("ingest", Set.of("stream", "rooms", "media", "media.codec", "logging"), List.of("java.", "org.slf4j.", "io.netty.buffer.",
                    "io.netty.util.ReferenceCount"), "the one way in: publish admission for any protocol (STYLE: stream, rooms, media)"),
            rule("playback", Set.of("stream", "rooms", "bandwidth", "access"), List.of("java.", "org.slf4j.", "io.netty.buffer.",
                    "io.netty.util.ReferenceCount"), "the one way out: viewer admission for any protocol (STYLE: stream, rooms, bandwidth, access tokens)"),
            rule("program", Set.of("stream", "rooms", "media", "media.codec"), List.of("java.", "org.slf4j.", "io.netty.buffer.",
                    "io.netty.util.ReferenceCount"), "a room's program switched between its inputs: hub taps and a hub publisher, protocol-neutral"),
            rule("renditions", Set.of("stream", "media", "media.codec"), List.of("java.", "org.slf4j.", "io.netty.buffer.",
                    "io.netty.util.ReferenceCount"), "quality renditions of a room's program made from its extra tracks: a hub tap "
                    + "publishing into rendition hubs, protocol-neutral"),
            rule("ladder", Set.of("stream", "rooms", "media", "media.codec", "playback", "ingest"), List.of("java.", "javax.crypto.",
                    "org.slf4j."), "the server-side ladder: supervises ffmpeg processes that read a program and publish renditions "
                    + "back over loopback, admitted by its own signature; knows no RTMP, HTTP or config"),
            // shared adapters
            rule("netty", none(), List.of("java.", "io.netty.", "org.slf4j."), "Netty plumbing both listeners share"),
            rule("egress", Set.of("stream", "media", "bandwidth", "netty"), List.of("java.", "io.netty.", "org.slf4j."),
                    "feeds viewer channels from the hub and measures delivery; shared by RTMP play and HTTP-FLV, knows neither"),
            rule("hls", Set.of("stream", "media", "media.codec", "hls.ts", "hls.fmp4"),
                    List.of("java.", "io.netty.buffer.", "io.netty.util.", "org.slf4j."),
                    "packager: a hub subscriber over its own container writers; never HTTP, RTMP or config"),
            rule("recording", Set.of("stream", "media", "media.codec", "hls.fmp4"),
                    List.of("java.", "io.netty.buffer.", "io.netty.util.", "org.slf4j."),
                    "a hub subscriber writing fMP4 and finalizing MP4, the recordings' catalogue; never HTTP, RTMP, HLS or config"),
            rule("hooks", Set.of("rooms", "config", "logging"), List.of("java.", "com.fasterxml.jackson.", "org.slf4j."),
                    "webhooks over the JDK HTTP client: rooms and its own config record; nothing of RTMP or HTTP serving"),
            rule("admin", Set.of("rooms", "stream", "media", "media.codec", "bandwidth", "config", "access", "program"),
                    List.of("java.", "com.fasterxml.jackson.", "org.slf4j."),
                    "operations behind the admin API and the rooms file; never http"),
            rule("metrics", Set.of("stream", "hls", "egress", "bandwidth", "netty", "access", "recording", "program", "ladder"), List.of("java.", "io.micrometer.", "io.netty."),
                    "one Micrometer binder per feature, reading that feature's snapshots and counters; no edge package"),
            // protocol edges
            rule("rtmp.session", Set.of("rtmp.handshake", "rtmp.chunk", "rtmp.amf", "rtmp.message", "rtmp.command", "flv",
                    "media", "media.codec", "stream", "rooms", "egress", "bandwidth", "ingest", "playback", "logging", "netty"),
                    List.of("java.", "io.netty.", "org.slf4j."),
                    "thin RTMP adapter: translates the protocol into ingest and playback; egress and bandwidth measure"),
            rule("rtmp.server", Set.of("rtmp.handshake", "rtmp.chunk", "rtmp.amf", "rtmp.message", "rtmp.command",
                    "rtmp.session", "config"), List.of("java.", "io.netty.", "org.slf4j."),
                    "RTMP bootstrap and channel initializer: rtmp.* and config"),
            rule("cluster", Set.of("ingest", "playback", "stream", "rooms", "admin", "config", "media", "media.codec", "bandwidth",
                    "rtmp.handshake", "rtmp.chunk", "rtmp.amf", "rtmp.message", "rtmp.command", "flv", "logging"),
                    List.of("java.", "javax.crypto.", "io.lettuce.", "io.netty.", "reactor.", "org.slf4j.", "com.fasterxml.jackson."),
                    "several nodes through Redis: shared rooms, node registry, leases, origin pulls over the RTMP client codecs"),
            rule("http", Set.of("hls", "stream", "rooms", "metrics", "admin", "bandwidth", "egress", "flv", "media", "netty",
                    "ingest", "playback", "logging", "access", "recording"), List.of("java.", "io.netty.", "com.fasterxml.jackson.", "org.slf4j."),
                    "HTTP routes (HLS, HTTP-FLV, admin API, metrics, health, probe); never RTMP"),
            rule("web", Set.of("http"), List.of("java.", "io.netty.", "com.fasterxml.jackson."),
                    "the console and watch page: static files from the jar and the public room state, as HTTP routes; "
                            + "room views come in as maps from the composition root"));

    /** Each entry is a break of a STYLE rule that issue 16 removes; delete the entry with the import. */
    private static final List<KnownViolation> KNOWN_VIOLATIONS = List.of();

    private static Map<String, List<SourceFile>> sources;

    @BeforeAll
    static void readSources() throws IOException {
        assertTrue(Files.isDirectory(MAIN), MAIN.toAbsolutePath().toString());
        Map<String, List<SourceFile>> byPackage = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                SourceFile source = SourceFile.read(MAIN, file);
                byPackage.computeIfAbsent(source.pkg, p -> new ArrayList<>()).add(source);
            }
        }
        sources = byPackage;
    }

    @Test
    void everyPackageHasARule() {
        List<String> missing = new ArrayList<>();
        for (String pkg : sources.keySet()) {
            if (!RULES.containsKey(pkg)) {
                missing.add("new package " + pkg + ": add it to the rules in ArchitectureTest (what it may import and why)");
            }
        }
        assertNone("packages without a rule", missing);
    }

    @Test
    void projectImportsFollowThePackageRules() {
        List<String> violations = new ArrayList<>();
        for (SourceFile source : allSources()) {
            Rule rule = RULES.get(source.pkg);
            if (rule == null) {
                continue; // reported by everyPackageHasARule
            }
            for (Reference ref : source.references) {
                String target = packageOf(ref.name());
                if (!isProject(target) || target.equals(source.pkg) || rule.project.contains(target)) {
                    continue;
                }
                if (known(source.path, target)) {
                    continue;
                }
                String why = target.equals(ROOT)
                        ? "nothing imports the composition root " + ROOT
                        : source.pkg + " may import " + describe(rule.project) + " (" + rule.why + ")";
                violations.add(source.path + ":" + ref.line() + " " + ref.kind() + " " + ref.name() + " breaks the rule: " + why);
            }
        }
        assertNone("project imports that break a package rule", violations);
    }

    @Test
    void outsideImportsFollowThePackageRules() {
        List<String> violations = new ArrayList<>();
        for (SourceFile source : allSources()) {
            Rule rule = RULES.get(source.pkg);
            if (rule == null) {
                continue;
            }
            for (Reference ref : source.references) {
                if (!isProject(packageOf(ref.name())) && !rule.allowsOutside(ref.name())) {
                    violations.add(source.path + ":" + ref.line() + " " + ref.kind() + " " + ref.name() + " breaks the rule: "
                            + source.pkg + " may import from outside only " + rule.outside + " (" + rule.why + ")");
                }
            }
        }
        assertNone("outside imports that break a package rule", violations);
    }

    @Test
    void noCyclesBetweenPackages() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (SourceFile source : allSources()) {
            Set<String> edges = graph.computeIfAbsent(source.pkg, p -> new TreeSet<>());
            for (Reference ref : source.references) {
                String target = packageOf(ref.name());
                if (isProject(target) && !target.equals(source.pkg)) {
                    edges.add(target);
                }
            }
        }
        assertNone("package cycles in the code", cycles(graph));
    }

    @Test
    void theRulesThemselvesAreAcyclicAndNameOnlyRuledPackages() {
        List<String> unknown = new ArrayList<>();
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Rule rule : RULES.values()) {
            for (String target : rule.project) {
                if (!RULES.containsKey(target)) {
                    unknown.add(rule.pkg + " allows " + target + ", which has no rule");
                }
            }
            graph.put(rule.pkg, rule.project);
        }
        assertNone("rules naming packages without a rule", unknown);
        assertNone("cycles the rule table allows", cycles(graph));
    }

    @Test
    void everyKnownViolationIsStillThere() {
        List<String> stale = new ArrayList<>();
        for (KnownViolation known : KNOWN_VIOLATIONS) {
            boolean present = allSources().stream()
                    .filter(s -> s.path.equals(known.file))
                    .flatMap(s -> s.references.stream())
                    .anyMatch(r -> packageOf(r.name()).equals(known.imports));
            if (!present) {
                stale.add(known.file + " no longer imports " + known.imports + ": remove it from KNOWN_VIOLATIONS");
            }
        }
        assertNone("known violations that are gone", stale);
    }

    @Test
    void scannerSeesCodeAndSkipsCommentsAndLiterals() {
        String text = """
                package fluxrelay.http;

                import static fluxrelay.media.codec.Avc.parse;
                import fluxrelay.rooms.*;
                import io.netty.channel.Channel;

                /** See {@link fluxrelay.rtmp.session.RtmpSession}. */
                class Sample { // fluxrelay.rtmp.chunk.ChunkDecoder
                    String metric = "fluxrelay.rtmp.protocol.errors";
                    String block = \"""
                            fluxrelay.stream.Hub\""";
                    char c = '"';
                    Object o = x instanceof fluxrelay.rtmp.amf.AmfBoolean b ? b : java.util.List.of();
                }
                """;
        SourceFile source = SourceFile.parse("fluxrelay/http/Sample.java", text);
        assertEquals("fluxrelay.http", source.pkg);
        assertEquals(List.of("import fluxrelay.media.codec.Avc.parse @3", "import fluxrelay.rooms.* @4",
                "import io.netty.channel.Channel @5", "reference fluxrelay.rtmp.amf.AmfBoolean @13",
                "reference java.util.List @13"), source.references.stream().map(Reference::toString).toList());
        assertEquals(List.of("fluxrelay.media.codec", "fluxrelay.rooms", "io.netty.channel", "fluxrelay.rtmp.amf", "java.util"),
                source.references.stream().map(r -> packageOf(r.name())).toList());
    }

    /** Fails listing each problem on its own line. */
    private static void assertNone(String what, List<String> problems) {
        assertTrue(problems.isEmpty(), () -> what + ":\n  " + String.join("\n  ", problems) + "\n");
    }

    private static boolean known(String file, String target) {
        return KNOWN_VIOLATIONS.stream().anyMatch(k -> k.file.equals(file) && k.imports.equals(target));
    }

    private static List<SourceFile> allSources() {
        return sources.values().stream().flatMap(Collection::stream).toList();
    }

    private static boolean isProject(String pkg) {
        return pkg.equals(ROOT) || pkg.startsWith(ROOT + ".");
    }

    /** The package part of a qualified name: its segments up to the first that starts with a capital (a type). */
    static String packageOf(String name) {
        List<String> parts = new ArrayList<>();
        for (String part : name.split("\\.")) {
            if (part.equals("*") || Character.isUpperCase(part.charAt(0))) {
                break;
            }
            parts.add(part);
        }
        return String.join(".", parts);
    }

    private static String describe(Set<String> allowed) {
        return allowed.isEmpty() ? "no project package" : "only " + new TreeSet<>(allowed);
    }

    /** Every cycle found by a depth-first walk, each written as a path that returns to its start. */
    private static List<String> cycles(Map<String, Set<String>> graph) {
        List<String> found = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        for (String start : graph.keySet()) {
            walk(start, graph, new ArrayDeque<>(), done, found);
        }
        return found;
    }

    private static void walk(String node, Map<String, Set<String>> graph, Deque<String> path, Set<String> done, List<String> found) {
        if (path.contains(node)) {
            List<String> cycle = new ArrayList<>();
            List<String> ordered = new ArrayList<>(path);
            Collections.reverse(ordered);
            cycle.addAll(ordered.subList(ordered.indexOf(node), ordered.size()));
            cycle.add(node);
            found.add(String.join(" -> ", cycle));
            return;
        }
        if (done.contains(node)) {
            return;
        }
        path.push(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            walk(next, graph, path, done, found);
        }
        path.pop();
        done.add(node);
    }

    private static Rule rule(String suffix, Set<String> project, List<String> outside, String why) {
        return new Rule(qualify(suffix), Set.copyOf(project.stream().map(ArchitectureTest::qualify).toList()), outside, why);
    }

    private static String qualify(String suffix) {
        return suffix.isEmpty() ? ROOT : ROOT + "." + suffix;
    }

    private static Set<String> none() {
        return Set.of();
    }

    /** Stands for "every package in the table"; resolved once the table is built. */
    private static Set<String> all() {
        return Set.of("*");
    }

    private static Map<String, Rule> rules(Rule... rules) {
        Map<String, Rule> byPackage = new LinkedHashMap<>();
        for (Rule rule : rules) {
            byPackage.put(rule.pkg, rule);
        }
        for (Rule rule : rules) {
            if (rule.project.contains(qualify("*"))) {
                Set<String> everything = new TreeSet<>(byPackage.keySet());
                everything.remove(rule.pkg);
                byPackage.put(rule.pkg, new Rule(rule.pkg, everything, rule.outside, rule.why));
            }
        }
        return byPackage;
    }
}
