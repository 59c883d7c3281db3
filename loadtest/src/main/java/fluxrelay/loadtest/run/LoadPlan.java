package fluxrelay.loadtest.run;

import fluxrelay.loadtest.metrics.ViewerKind;
import fluxrelay.loadtest.rtmp.RtmpUrl;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything one load run does, as parsed from the command line: what to publish, whom to play with, the
 * steps of viewer counts, and how each step is timed and judged.
 *
 * @param source FLV file the publishers replay (null when nobody publishes)
 * @param publishers one publisher per URL
 * @param stamp whether publishers put latency stamps in video frames
 * @param rtmp RTMP play URLs; RTMP viewers are spread over them round-robin
 * @param flv HTTP-FLV URLs
 * @param hls HLS playlist URLs
 * @param llhls Low-Latency HLS media playlist ({@code ll.m3u8}) URLs
 * @param llhlsPoll LL-HLS viewers poll the playlist instead of holding blocking reloads (a server that ignores
 *     {@code _HLS_msn}, such as a web server serving the files)
 * @param steps the viewer counts to reach, one step after another
 * @param ladderKind the kind whose healthy share ends the ladder when it drops below {@code stopBelow}
 * @param rampPerSecond viewers started per second while ramping up
 * @param settle wait after a ramp before measuring (and before the first step, for the GOP cache to fill)
 * @param window length of each step's measurement window
 * @param progress interval of progress lines
 * @param stall a gap longer than this is a stall
 * @param healthyShare share of the stream's bytes a healthy viewer receives in a window
 * @param stopBelow the ladder stops after a step whose healthy share is below this
 * @param serverPid process id of the server under test for CPU and memory figures, or -1
 * @param serverCore the core the server is pinned to, for its busy share from /proc/stat, or -1
 * @param label name of the server under test in reports
 * @param threads event loops of the load generator
 * @param connectTimeout TCP connect timeout
 * @param warmupViewers viewers of the ladder kind played for {@code warmup} and closed again before the first step,
 *     so that neither the server's nor the load generator's JIT is still compiling while a step is measured; 0 for none
 * @param warmup how long the warm-up viewers play
 * @param warmupJoins how many times the warm-up viewers join and leave within {@code warmup} (each time ramped at
 *     {@code rampPerSecond}): the server's code for joins runs once per viewer, so one round leaves it less compiled
 *     than a server that has taken joins for a while, and its JIT compiles it during the first measured burst
 * @param probes single viewers played one after the other before the first step, for their time to first keyframe
 * @param json JSON report path or null
 * @param csv CSV report path or null
 */
public record LoadPlan(Path source, List<RtmpUrl> publishers, boolean stamp, List<RtmpUrl> rtmp, List<URI> flv, List<URI> hls,
                       List<URI> llhls, boolean llhlsPoll, List<Step> steps, ViewerKind ladderKind, int rampPerSecond, Duration settle, Duration window,
                       Duration progress, Duration stall, double healthyShare, double stopBelow, long serverPid, int serverCore, String label,
                       int threads, Duration connectTimeout, int warmupViewers, Duration warmup, int warmupJoins, Probes probes, Path json,
                       Path csv) {

    /**
     * Time-to-first-frame probes: {@code count} RTMP viewers, one at a time over {@code urls} in turn, each closed at
     * its first keyframe, {@code interval} apart. A single viewer on a quiet server: what one viewer waits, not what a
     * crowd does; with an interval longer than a cluster edge's pull idle timeout every probe at an edge finds it cold.
     *
     * @param urls RTMP URLs to probe
     * @param count probes in all, 0 for none
     * @param interval pause between the end of one probe and the start of the next
     */
    public record Probes(List<RtmpUrl> urls, int count, Duration interval) {

        /** No probes. */
        public static final Probes NONE = new Probes(List.of(), 0, Duration.ofSeconds(5));

        public Probes {
            urls = List.copyOf(urls);
            if (count < 0) {
                throw new IllegalArgumentException("--probes must not be negative");
            }
            if (count > 0 && urls.isEmpty()) {
                throw new IllegalArgumentException("--probes needs a URL to probe (--probe)");
            }
        }
    }

    /** Viewer counts of one step. */
    public record Step(int rtmp, int flv, int hls, int llhls) {

        /** A step without LL-HLS viewers. */
        public Step(int rtmp, int flv, int hls) {
            this(rtmp, flv, hls, 0);
        }

        /** The count for one kind. */
        public int count(ViewerKind kind) {
            return switch (kind) {
                case RTMP -> rtmp;
                case HTTP_FLV -> flv;
                case HLS -> hls;
                case LL_HLS -> llhls;
            };
        }

        /** Viewers of every kind. */
        public int total() {
            return rtmp + flv + hls + llhls;
        }
    }

    public LoadPlan {
        publishers = List.copyOf(publishers);
        rtmp = List.copyOf(rtmp);
        probes = probes == null ? Probes.NONE : probes;
        flv = List.copyOf(flv);
        hls = List.copyOf(hls);
        llhls = List.copyOf(llhls);
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("no step to run");
        }
        for (Step step : steps) {
            if (step.rtmp() > 0 && rtmp.isEmpty() || step.flv() > 0 && flv.isEmpty() || step.hls() > 0 && hls.isEmpty()
                    || step.llhls() > 0 && llhls.isEmpty()) {
                throw new IllegalArgumentException("viewers asked for without a URL to play (--rtmp, --flv, --hls, --llhls)");
            }
        }
        if (!publishers.isEmpty() && source == null) {
            throw new IllegalArgumentException("--publish needs --file");
        }
        if (warmupViewers < 0) {
            throw new IllegalArgumentException("--warmup-viewers must not be negative");
        }
        if (warmupJoins < 1) {
            throw new IllegalArgumentException("--warmup-joins must be at least 1");
        }
        List<?> ladderUrls = switch (ladderKind) {
            case RTMP -> rtmp;
            case HTTP_FLV -> flv;
            case HLS -> hls;
            case LL_HLS -> llhls;
        };
        if (warmupViewers > 0 && ladderUrls.isEmpty()) {
            throw new IllegalArgumentException("--warmup-viewers needs a URL of the ladder kind to play");
        }
        if (rampPerSecond <= 0 || threads <= 0) {
            throw new IllegalArgumentException("--ramp and --threads must be positive");
        }
    }

    /** A plan without LL-HLS viewers. */
    public LoadPlan(Path source, List<RtmpUrl> publishers, boolean stamp, List<RtmpUrl> rtmp, List<URI> flv, List<URI> hls,
                    List<Step> steps, ViewerKind ladderKind, int rampPerSecond, Duration settle, Duration window,
                    Duration progress, Duration stall, double healthyShare, double stopBelow, long serverPid, int serverCore, String label,
                    int threads, Duration connectTimeout, int warmupViewers, Duration warmup, Probes probes, Path json, Path csv) {
        this(source, publishers, stamp, rtmp, flv, hls, List.of(), false, steps, ladderKind, rampPerSecond, settle, window, progress,
                stall, healthyShare, stopBelow, serverPid, serverCore, label, threads, connectTimeout, warmupViewers, warmup, 1, probes,
                json, csv);
    }

    /** Play URLs of one kind. */
    public List<?> urls(ViewerKind kind) {
        return switch (kind) {
            case RTMP -> rtmp;
            case HTTP_FLV -> flv;
            case HLS -> hls;
            case LL_HLS -> llhls;
        };
    }
}
