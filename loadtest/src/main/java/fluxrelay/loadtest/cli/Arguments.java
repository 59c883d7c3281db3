package fluxrelay.loadtest.cli;

import fluxrelay.loadtest.metrics.ViewerKind;
import fluxrelay.loadtest.rtmp.RtmpUrl;
import fluxrelay.loadtest.run.LoadPlan;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the {@code run} command line into a {@link LoadPlan}; every error names the option.
 */
final class Arguments {

    /** A command line that cannot be run; the message says which option and why. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

    private Arguments() {
    }

    static LoadPlan parse(List<String> args) throws UsageException {
        Path file = null;
        List<RtmpUrl> publishers = new ArrayList<>();
        boolean stamp = true;
        List<RtmpUrl> rtmp = new ArrayList<>();
        List<URI> flv = new ArrayList<>();
        List<URI> hls = new ArrayList<>();
        List<URI> llhls = new ArrayList<>();
        boolean llhlsPoll = false;
        int[] counts = new int[ViewerKind.values().length];
        List<Integer> ladder = new ArrayList<>();
        ViewerKind ladderKind = ViewerKind.RTMP;
        int ramp = 500;
        Duration settle = Duration.ofSeconds(5);
        Duration window = Duration.ofSeconds(20);
        Duration progress = Duration.ofSeconds(2);
        Duration stall = Duration.ofSeconds(1);
        double healthyShare = 0.95;
        double stopBelow = 0.5;
        long pid = -1;
        int core = -1;
        String label = "server";
        Path json = null;
        Path csv = null;
        int threads = Runtime.getRuntime().availableProcessors();
        Duration connectTimeout = Duration.ofSeconds(10);
        int warmupViewers = 0;
        Duration warmup = Duration.ofSeconds(30);
        int warmupJoins = 1;
        List<RtmpUrl> probeUrls = new ArrayList<>();
        int probes = 0;
        Duration probeInterval = LoadPlan.Probes.NONE.interval();
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (option.equals("--no-stamp")) {
                stamp = false;
                continue;
            }
            if (option.equals("--llhls-poll")) {
                llhlsPoll = true;
                continue;
            }
            if (i + 1 >= args.size()) {
                throw new UsageException(option.startsWith("--") ? option + " needs a value" : "unknown argument: " + option);
            }
            String value = args.get(++i);
            try {
                switch (option) {
                    case "--file" -> file = Path.of(value);
                    case "--publish" -> publishers.add(RtmpUrl.parse(value));
                    case "--rtmp" -> rtmp.add(RtmpUrl.parse(value));
                    case "--flv" -> flv.add(http(value));
                    case "--hls" -> hls.add(http(value));
                    case "--llhls" -> llhls.add(http(value));
                    case "--rtmp-viewers" -> counts[ViewerKind.RTMP.ordinal()] = count(value);
                    case "--flv-viewers" -> counts[ViewerKind.HTTP_FLV.ordinal()] = count(value);
                    case "--hls-viewers" -> counts[ViewerKind.HLS.ordinal()] = count(value);
                    case "--llhls-viewers" -> counts[ViewerKind.LL_HLS.ordinal()] = count(value);
                    case "--ladder" -> {
                        for (String step : value.split(",")) {
                            ladder.add(count(step.strip()));
                        }
                    }
                    case "--ladder-kind" -> ladderKind = kind(value);
                    case "--ramp" -> ramp = positive(value);
                    case "--settle" -> settle = duration(value);
                    case "--duration" -> window = duration(value);
                    case "--progress" -> progress = duration(value);
                    case "--stall" -> stall = duration(value);
                    case "--healthy-share" -> healthyShare = share(value);
                    case "--stop-below" -> stopBelow = share(value);
                    case "--server-pid" -> pid = Long.parseLong(value);
                    case "--server-core" -> core = count(value);
                    case "--label" -> label = value;
                    case "--json" -> json = Path.of(value);
                    case "--csv" -> csv = Path.of(value);
                    case "--threads" -> threads = positive(value);
                    case "--connect-timeout" -> connectTimeout = duration(value);
                    case "--warmup-viewers" -> warmupViewers = count(value);
                    case "--warmup" -> warmup = duration(value);
                    case "--warmup-joins" -> warmupJoins = positive(value);
                    case "--probe" -> probeUrls.add(RtmpUrl.parse(value));
                    case "--probes" -> probes = count(value);
                    case "--probe-interval" -> probeInterval = duration(value);
                    default -> throw new UsageException("unknown option: " + option + " (try --help)");
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException(option + ": " + e.getMessage());
            }
        }
        List<LoadPlan.Step> steps = new ArrayList<>();
        if (ladder.isEmpty()) {
            steps.add(step(counts));
        } else {
            for (int n : ladder) {
                counts[ladderKind.ordinal()] = n;
                steps.add(step(counts));
            }
        }
        if (progress.isZero() || window.isZero()) {
            throw new UsageException("--progress and --duration must be longer than 0");
        }
        try {
            return new LoadPlan(file, publishers, stamp, rtmp, flv, hls, llhls, llhlsPoll, steps, ladderKind, ramp, settle, window, progress, stall,
                    healthyShare, stopBelow, pid, core, label, threads, connectTimeout, warmupViewers, warmup, warmupJoins,
                    new LoadPlan.Probes(probeUrls, probes, probeInterval), json, csv);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static LoadPlan.Step step(int[] counts) {
        return new LoadPlan.Step(counts[ViewerKind.RTMP.ordinal()], counts[ViewerKind.HTTP_FLV.ordinal()],
                counts[ViewerKind.HLS.ordinal()], counts[ViewerKind.LL_HLS.ordinal()]);
    }

    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration (500ms, 5s, 2m): " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }

    private static URI http(String text) {
        URI uri = URI.create(text);
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http:// URL: " + text);
        }
        return uri;
    }

    private static ViewerKind kind(String text) {
        for (ViewerKind kind : ViewerKind.values()) {
            if (kind.label().equals(text)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("not rtmp, http-flv, hls or llhls: " + text);
    }

    private static int count(String text) {
        int n = Integer.parseInt(text);
        if (n < 0) {
            throw new IllegalArgumentException("must not be negative: " + text);
        }
        return n;
    }

    private static int positive(String text) {
        int n = Integer.parseInt(text);
        if (n <= 0) {
            throw new IllegalArgumentException("must be positive: " + text);
        }
        return n;
    }

    private static double share(String text) {
        double v = Double.parseDouble(text);
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException("must be between 0 and 1: " + text);
        }
        return v;
    }
}
