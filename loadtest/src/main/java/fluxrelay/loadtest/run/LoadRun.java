package fluxrelay.loadtest.run;

import fluxrelay.loadtest.metrics.CoreProbe;
import fluxrelay.loadtest.metrics.KindMetrics;
import fluxrelay.loadtest.metrics.Percentiles;
import fluxrelay.loadtest.metrics.ProcessProbe;
import fluxrelay.loadtest.metrics.StepResult;
import fluxrelay.loadtest.metrics.ViewerKind;
import fluxrelay.loadtest.metrics.ViewerStats;
import fluxrelay.loadtest.metrics.WindowSample;
import fluxrelay.loadtest.publisher.PublisherStats;
import fluxrelay.loadtest.rtmp.RtmpUrl;
import fluxrelay.loadtest.source.StreamSource;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Runs a {@link LoadPlan}: starts the publishers, waits for the stream to settle, then for each step ramps
 * the viewers up, lets them settle and measures a window: health, bitrate share, stalls, latency and time to
 * first frame per protocol, the server's CPU and memory, and the load generator's own CPU. Prints progress
 * while it runs and one table row per step; stops the ladder once the ladder kind's healthy share drops
 * below the plan's threshold.
 */
public final class LoadRun {

    private final LoadPlan plan;
    private final PrintStream out;
    private final Map<ViewerKind, KindMetrics> metrics = new EnumMap<>(ViewerKind.class);
    private final int[] started = new int[ViewerKind.values().length];
    private final ProcessProbe self = ProcessProbe.self();
    private ProcessProbe server;
    private List<PublisherStats> publishers = List.of();
    private Fleet fleet;
    private String phase = "start";
    private long lastTickNanos;
    private double lastServerCpu = Double.NaN;
    private double lastSelfCpu;
    private long lastBytes;

    public LoadRun(LoadPlan plan, PrintStream out) {
        this.plan = plan;
        this.out = out;
        for (ViewerKind kind : ViewerKind.values()) {
            metrics.put(kind, new KindMetrics(kind));
        }
    }

    /** Runs every step (until saturation); returns one result per step and kind of viewer. */
    public List<StepResult> run() throws Exception {
        StreamSource source = plan.source() == null ? null : StreamSource.load(plan.source());
        try (Fleet fleet = new Fleet(plan.threads(), plan.connectTimeout(), plan.stall(), plan.llhlsPoll())) {
            this.fleet = fleet;
            if (plan.serverPid() > 0) {
                server = new ProcessProbe(plan.serverPid(), 100);
            }
            if (source != null) {
                out.printf(Locale.ROOT, "source: %s, %.1f s loop, %d kbit/s (audio+video payload)%n", plan.source(),
                        source.loopDurationMillis() / 1000.0, source.bitrate() / 1000);
                startPublishers(source);
            }
            tickBaseline();
            warmUp();
            probe();
            pause("warm-up", plan.settle());
            long baselineRss = server != null ? server.rssBytes() : -1;
            List<StepResult> results = new ArrayList<>();
            for (int i = 0; i < plan.steps().size(); i++) {
                LoadPlan.Step step = plan.steps().get(i);
                List<StepResult> stepResults = step(i + 1, step, baselineRss);
                results.addAll(stepResults);
                StepResult ladder = stepResults.stream().filter(r -> r.kind() == plan.ladderKind()).findFirst().orElse(null);
                if (ladder != null && ladder.viewers() > 0 && ladder.healthyShare() < plan.stopBelow() && i + 1 < plan.steps().size()) {
                    out.printf(Locale.ROOT, "saturated: %.1f%% healthy %s viewers at %d (threshold %.0f%%); ladder stopped%n",
                            100 * ladder.healthyShare(), ladder.kind().label(), ladder.viewers(), 100 * plan.stopBelow());
                    break;
                }
            }
            String failure = fleet.commonFailure();
            if (failure != null) {
                out.println("most common viewer failure: " + failure);
            }
            return results;
        } finally {
            if (source != null) {
                source.close();
            }
        }
    }

    private void startPublishers(StreamSource source) throws InterruptedException {
        List<PublisherStats> started = new ArrayList<>();
        for (RtmpUrl url : plan.publishers()) {
            started.add(fleet.publish(url, source, plan.stamp()));
        }
        publishers = started;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (started.stream().anyMatch(p -> !p.isPublishing())) {
            for (PublisherStats p : started) {
                if (p.failure() != null) {
                    throw new IllegalStateException("publisher failed: " + p.failure());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("publishers not accepted within 15 s");
            }
            Thread.sleep(50);
        }
        out.printf("%d publisher(s) live%n", started.size());
    }

    private List<StepResult> step(int number, LoadPlan.Step step, long baselineRss) throws InterruptedException {
        metrics.values().forEach(KindMetrics::takeTimeToFirstFrame);
        phase = "step " + number + "/" + plan.steps().size() + " ramp";
        ramp(step);
        phase = "step " + number + "/" + plan.steps().size() + " settle";
        pause(phase, plan.settle());
        phase = "step " + number + "/" + plan.steps().size() + " measure";
        fleet.startWindow();
        Map<ViewerKind, Histogram> latency = new EnumMap<>(ViewerKind.class);
        Map<ViewerKind, Histogram> keyframeLatency = new EnumMap<>(ViewerKind.class);
        for (ViewerKind kind : ViewerKind.values()) {
            metrics.get(kind).takeLatency();
            metrics.get(kind).takeKeyframeLatency();
            metrics.get(kind).takePartDelay();
            latency.put(kind, new Histogram(3));
            keyframeLatency.put(kind, new Histogram(3));
        }
        double serverCpu0 = server != null ? server.cpuSeconds() : Double.NaN;
        long writes0 = server != null ? server.writeCalls() : -1;
        CoreProbe core = plan.serverCore() >= 0 ? new CoreProbe(plan.serverCore()) : null;
        long[] core0 = core != null ? core.ticks() : null;
        double selfCpu0 = self.cpuSeconds();
        long published0 = publishedBytes();
        long t0 = System.nanoTime();
        long end = t0 + plan.window().toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.max(1, Math.min(plan.progress().toMillis(), TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            addLatencies(latency, keyframeLatency);
            progress(latency);
        }
        List<WindowSample> samples = fleet.sampleWindow();
        long t1 = System.nanoTime();
        double seconds = (t1 - t0) / 1e9;
        double serverCpu = server != null ? (server.cpuSeconds() - serverCpu0) / seconds : Double.NaN;
        double selfCpu = (self.cpuSeconds() - selfCpu0) / seconds;
        double coreBusy = core != null ? CoreProbe.busy(core0, core.ticks()) : Double.NaN;
        long writes1 = server != null ? server.writeCalls() : -1;
        double writesPerSecond = writes0 >= 0 && writes1 >= 0 ? (writes1 - writes0) / seconds : Double.NaN;
        long expected = publishers.isEmpty() ? -1 : (publishedBytes() - published0) / publishers.size();
        addLatencies(latency, keyframeLatency);
        long rss = server != null ? server.rssBytes() : -1;
        long heap = server != null ? server.heapUsedBytes() : -1;
        int totalViewers = step.total();
        List<StepResult> results = new ArrayList<>();
        for (ViewerKind kind : ViewerKind.values()) {
            // A step with no viewers at all still gives its ladder kind's row: what the publishers alone cost.
            if (step.count(kind) == 0 && (totalViewers > 0 || kind != plan.ladderKind())) {
                continue;
            }
            boolean segmented = kind == ViewerKind.HLS || kind == ViewerKind.LL_HLS;
            StepResult r = result(number, kind, step.count(kind), samples, segmented ? -1 : expected, seconds,
                    latency.get(kind), keyframeLatency.get(kind), metrics.get(kind).takeTimeToFirstFrame(), serverCpu, coreBusy, writesPerSecond, selfCpu, rss, heap,
                    rss > 0 && baselineRss > 0 && totalViewers > 0 ? (rss - baselineRss) / 1024.0 / totalViewers : Double.NaN);
            results.add(r);
            if (kind == ViewerKind.LL_HLS) {
                out.printf(Locale.ROOT, "RESULT %s step %d: %d llhls viewers, %.0f parts/s, part delay p50 %.1f p99 %.1f max %.1f ms,"
                        + " %.2f%% of parts within %d ms of their announcement, part age (program date-time) p50 %.1f p99 %.1f ms%n",
                        plan.label(), number, r.viewers(), r.segmentsPerSecond(), r.partDelay().p50(), r.partDelay().p99(),
                        r.partDelay().max(), 100 * r.partsOnTime(), StepResult.PART_ON_TIME_MICROS / 1000, r.latency().p50(), r.latency().p99());
            }
            out.printf(Locale.ROOT, "RESULT %s step %d: %d %s viewers, %.1f%% healthy, latency p50 %.1f p99 %.1f ms (keyframes p50 %.1f"
                    + " p99 %.1f), TTFF p50 %.1f ms, longest gap p50 %.1f p99 %.1f max %.1f ms, server CPU %.3f (core busy %.3f, %.0f writes/s),"
                    + " RSS %.0f MiB, load CPU %.2f%n", plan.label(), number, r.viewers(), kind.label(),
                    100 * r.healthyShare(), r.latency().p50(), r.latency().p99(), r.keyframeLatency().p50(), r.keyframeLatency().p99(),
                    r.timeToFirstFrame().p50(), r.longestGap().p50(), r.longestGap().p99(), r.longestGap().max(), r.serverCpu(),
                    r.serverCoreBusy(), r.serverWritesPerSecond(), r.serverRssMiB(), r.loadCpu());
        }
        return results;
    }

    /** Adds what each kind's viewers recorded since the last take to the window's latency histograms, all and keyframes. */
    private void addLatencies(Map<ViewerKind, Histogram> latency, Map<ViewerKind, Histogram> keyframeLatency) {
        for (ViewerKind kind : ViewerKind.values()) {
            latency.get(kind).add(metrics.get(kind).takeLatency());
            keyframeLatency.get(kind).add(metrics.get(kind).takeKeyframeLatency());
        }
    }

    private StepResult result(int number, ViewerKind kind, int viewers, List<WindowSample> samples, long expected, double seconds,
                              Histogram latency, Histogram keyframeLatency, Histogram ttff, double serverCpu, double coreBusy, double writesPerSecond, double selfCpu, long rss, long heap,
                              double rssPerViewer) {
        int healthy = 0;
        int playing = 0;
        int stalled = 0;
        long bytes = 0;
        long frames = 0;
        List<Double> shares = new ArrayList<>();
        long[] gaps = new long[samples.size()];
        int gapCount = 0;
        for (WindowSample s : samples) {
            if (s.kind() != kind) {
                continue;
            }
            if (s.coveredWindow()) {
                gaps[gapCount++] = TimeUnit.NANOSECONDS.toMicros(s.maxGapNanos());
            }
            bytes += s.bytes();
            frames += s.frames();
            if (s.state() == ViewerStats.State.PLAYING) {
                playing++;
            }
            if (s.stalled()) {
                stalled++;
            }
            if (s.healthy(expected, plan.healthyShare())) {
                healthy++;
            }
            if (expected > 0) {
                shares.add(s.bytes() / (double) expected);
            }
        }
        shares.sort(null);
        double median = shares.isEmpty() ? Double.NaN : shares.get(shares.size() / 2);
        double min = shares.isEmpty() ? Double.NaN : shares.get(0);
        double streamKbps = expected > 0 ? expected * 8 / seconds / 1000 : Double.NaN;
        Histogram partDelay = kind == ViewerKind.LL_HLS ? metrics.get(kind).takePartDelay() : null;
        double onTime = partDelay == null || partDelay.getTotalCount() == 0 ? Double.NaN
                : partDelay.getPercentileAtOrBelowValue(StepResult.PART_ON_TIME_MICROS) / 100.0;
        return new StepResult(plan.label(), number, kind, viewers, playing, metrics.get(kind).failures(), healthy, median, min,
                stalled, Percentiles.of(latency), Percentiles.of(ttff), Percentiles.ofMicros(Arrays.copyOf(gaps, gapCount)), kind == ViewerKind.HLS || kind == ViewerKind.LL_HLS ? frames / seconds : 0,
                streamKbps, bytes * 8 / seconds / 1e6, serverCpu, coreBusy, writesPerSecond, rss > 0 ? rss / 1048576.0 : Double.NaN,
                heap > 0 ? heap / 1048576.0 : Double.NaN, rssPerViewer, selfCpu, seconds, Percentiles.of(partDelay), onTime,
                Percentiles.of(keyframeLatency));
    }

    /** Starts viewers at the plan's rate until every kind has its step's count. */
    private void ramp(LoadPlan.Step step) throws InterruptedException {
        int toStart = 0;
        for (ViewerKind kind : ViewerKind.values()) {
            toStart += Math.max(0, step.count(kind) - started[kind.ordinal()]);
        }
        long begin = System.nanoTime();
        int done = 0;
        long nextProgress = begin + plan.progress().toNanos();
        while (done < toStart) {
            long allowed = Math.min(toStart, 1 + (System.nanoTime() - begin) * plan.rampPerSecond() / 1_000_000_000L);
            while (done < allowed) {
                for (ViewerKind kind : ViewerKind.values()) {
                    if (done < allowed && started[kind.ordinal()] < step.count(kind)) {
                        List<?> urls = plan.urls(kind);
                        fleet.spawn(kind, urls.get(started[kind.ordinal()] % urls.size()), metrics.get(kind));
                        started[kind.ordinal()]++;
                        done++;
                    }
                }
            }
            if (System.nanoTime() >= nextProgress) {
                progress(null);
                nextProgress += plan.progress().toNanos();
            }
            Thread.sleep(10);
        }
    }

    /**
     * Plays the warm-up viewers for the warm-up time and closes them: a JVM server (and this generator) compiles its
     * hot paths in the first tens of seconds, on the very core a pinned server is measured on. With several joins
     * ({@link LoadPlan#warmupJoins()}) the viewers join, play an equal share of the warm-up time and leave that many
     * times, so the code a join runs is compiled too. Their figures count nowhere; steps start from zero viewers.
     */
    private void warmUp() throws InterruptedException {
        int count = plan.warmupViewers();
        if (count == 0) {
            return;
        }
        ViewerKind kind = plan.ladderKind();
        KindMetrics discarded = new KindMetrics(kind);
        List<?> urls = plan.urls(kind);
        int joins = plan.warmupJoins();
        Duration each = plan.warmup().dividedBy(joins);
        for (int join = 1; join <= joins; join++) {
            String round = joins == 1 ? "" : " (join " + join + " of " + joins + ")";
            phase = "warm-up ramp" + round;
            long begin = System.nanoTime();
            for (int done = 0; done < count; ) {
                long allowed = Math.min(count, 1 + (System.nanoTime() - begin) * plan.rampPerSecond() / 1_000_000_000L);
                for (; done < allowed; done++) {
                    fleet.spawn(kind, urls.get(done % urls.size()), discarded);
                }
                Thread.sleep(10);
            }
            pause("warm-up with " + count + " " + kind.label() + " viewers" + round, each);
            int closed = fleet.closeViewers();
            out.printf(Locale.ROOT, "warm-up done%s: %d viewers closed%n", round, closed);
        }
    }

    /**
     * Plays the plan's probes one at a time, each closed at its first keyframe (or after the connect timeout and 10 s
     * more without one), and prints each one's time to first keyframe and their summary.
     */
    private void probe() throws InterruptedException {
        LoadPlan.Probes probes = plan.probes();
        long[] micros = new long[probes.count()];
        for (int i = 0; i < probes.count(); i++) {
            if (i > 0) {
                pause("probe pause", probes.interval());
            }
            RtmpUrl url = probes.urls().get(i % probes.urls().size());
            String name = String.format(Locale.ROOT, "PROBE %d/%d rtmp://%s:%d/%s/%s", i + 1, probes.count(), url.host(), url.port(),
                    url.app(), url.streamName());
            phase = "probe " + (i + 1) + "/" + probes.count();
            KindMetrics one = new KindMetrics(ViewerKind.RTMP);
            fleet.spawn(ViewerKind.RTMP, url, one);
            long deadline = System.nanoTime() + plan.connectTimeout().toNanos() + TimeUnit.SECONDS.toNanos(10);
            Histogram got = new Histogram(3);
            while (got.getTotalCount() == 0 && one.failures() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(2);
                got.add(one.takeTimeToFirstFrame());
            }
            String failure = got.getTotalCount() == 0 ? fleet.commonFailure() : null;
            fleet.closeViewers();
            if (got.getTotalCount() > 0) {
                micros[i] = got.getMaxValue();
                out.printf(Locale.ROOT, "%s: first keyframe after %.1f ms%n", name, micros[i] / 1000.0);
            } else {
                micros[i] = -1;
                out.printf(Locale.ROOT, "%s: no keyframe (%s)%n", name, failure != null ? failure : "timed out");
            }
        }
        if (probes.count() > 0) {
            Percentiles p = Percentiles.ofMicros(micros);
            out.printf(Locale.ROOT, "PROBES %d of %d with a keyframe: first keyframe p50 %.1f p90 %.1f max %.1f ms%n", p.count(),
                    probes.count(), p.p50(), p.p90(), p.max());
        }
    }

    private void pause(String name, Duration length) throws InterruptedException {
        phase = name;
        long end = System.nanoTime() + length.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.max(1, Math.min(plan.progress().toMillis(), TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            progress(null);
        }
    }

    private void tickBaseline() {
        lastTickNanos = System.nanoTime();
        lastServerCpu = server != null ? server.cpuSeconds() : Double.NaN;
        lastSelfCpu = self.cpuSeconds();
    }

    /** One progress line; {@code latency} is the window's latency so far, or null outside a window. */
    private void progress(Map<ViewerKind, Histogram> latency) {
        long now = System.nanoTime();
        double seconds = (now - lastTickNanos) / 1e9;
        Fleet.Census census = fleet.census();
        double serverCpu = server != null ? server.cpuSeconds() : Double.NaN;
        double selfCpu = self.cpuSeconds();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%s %s]", plan.label(), phase));
        for (ViewerKind kind : ViewerKind.values()) {
            int total = 0;
            for (ViewerStats.State state : ViewerStats.State.values()) {
                total += census.count(kind, state);
            }
            if (total == 0) {
                continue;
            }
            line.append(String.format(Locale.ROOT, " %s %d/%d playing %d failed", kind.label(),
                    census.count(kind, ViewerStats.State.PLAYING), total, census.count(kind, ViewerStats.State.FAILED)));
            if (latency != null && latency.get(kind).getTotalCount() > 0) {
                Percentiles p = Percentiles.of(latency.get(kind));
                line.append(String.format(Locale.ROOT, " (latency p50 %.1f p99 %.1f ms)", p.p50(), p.p99()));
            }
        }
        line.append(String.format(Locale.ROOT, " | rx %.1f Mbit/s | server CPU %.2f | load CPU %.2f",
                (census.bytes() - lastBytes) * 8 / seconds / 1e6, (serverCpu - lastServerCpu) / seconds, (selfCpu - lastSelfCpu) / seconds));
        out.println(line);
        lastTickNanos = now;
        lastServerCpu = serverCpu;
        lastSelfCpu = selfCpu;
        lastBytes = census.bytes();
    }

    private long publishedBytes() {
        long sum = 0;
        for (PublisherStats p : publishers) {
            sum += p.bytes();
        }
        return sum;
    }
}
