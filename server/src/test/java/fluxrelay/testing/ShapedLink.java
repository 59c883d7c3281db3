package fluxrelay.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real constrained link for tests: a network namespace joined to the host by a veth pair, the host side's
 * egress (the viewer's download) shaped with a {@code tc tbf} rate. Addresses are a /30 in 10.213.0.0/16 that
 * exists only on this pair: traffic flows between the host side and the namespace, nowhere else. Names are
 * unique per run; {@link #close()} deletes the namespace and the pair.
 *
 * <p>Needs root and iproute2 ({@code ip}, {@code tc}); {@link #unavailableReason()} says why not, for
 * {@link Requirements#unavailable(String)}.
 */
public final class ShapedLink implements AutoCloseable {

    private static final String RUN = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
    private static int subnet = -1;

    private final String namespace;
    private final String hostDevice;
    private final String hostAddress;
    private final String viewerAddress;
    private double mbps;

    private ShapedLink(String namespace, String hostDevice, String hostAddress, String viewerAddress) {
        this.namespace = namespace;
        this.hostDevice = hostDevice;
        this.hostAddress = hostAddress;
        this.viewerAddress = viewerAddress;
    }

    /** Why links cannot be made here (not root, no iproute2, namespaces refused), or null when they can. */
    public static String unavailableReason() {
        try {
            String uid = run(List.of("id", "-u")).trim();
            if (!uid.equals("0")) {
                return "network namespaces need root (uid " + uid + ")";
            }
            for (String tool : List.of("ip", "tc")) {
                if (Requirements.executable(tool).isEmpty()) {
                    return "iproute2 is not installed (no '" + tool + "' on PATH)";
                }
            }
            String probe = "frbwp" + RUN;
            run(List.of("ip", "netns", "add", probe));
            run(List.of("ip", "netns", "del", probe));
            return null;
        } catch (IOException e) {
            return "cannot create a network namespace: " + e.getMessage();
        }
    }

    /** Creates link {@code index} (0..63) of this run, shaped to {@code mbps} towards the namespace. */
    public static ShapedLink create(int index, double mbps) throws IOException {
        int subnet = subnet();
        String host = "10.213." + subnet + "." + (index * 4 + 1);
        String viewer = "10.213." + subnet + "." + (index * 4 + 2);
        String ns = "frbw" + RUN + "n" + index;
        String hostDev = "frbw" + RUN + "h" + index;
        String peerDev = "frbw" + RUN + "v" + index;
        ShapedLink link = new ShapedLink(ns, hostDev, host, viewer);
        // Also cleaned if the JVM is stopped before the test's own cleanup runs.
        Runtime.getRuntime().addShutdownHook(new Thread(link::close, "shaped-link-cleanup"));
        try {
            run(List.of("ip", "netns", "add", ns));
            run(List.of("ip", "link", "add", hostDev, "type", "veth", "peer", "name", peerDev));
            run(List.of("ip", "link", "set", peerDev, "netns", ns));
            run(List.of("ip", "addr", "add", host + "/30", "dev", hostDev));
            // One segment per packet on the shaped side, as a router's queue sees them: 64 KB GSO bursts into a
            // 100 ms tbf queue would be dropped by the dozen, a loss pattern no real link has.
            run(List.of("ip", "link", "set", "dev", hostDev, "gso_max_segs", "1"));
            run(List.of("ip", "link", "set", hostDev, "up"));
            run(List.of("ip", "-n", ns, "addr", "add", viewer + "/30", "dev", peerDev));
            run(List.of("ip", "-n", ns, "link", "set", peerDev, "up"));
            run(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
            link.shape(mbps, "add");
            return link;
        } catch (IOException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /** A 10.213.N.0/24 no interface of this host has an address in, chosen once per run. */
    private static synchronized int subnet() throws IOException {
        if (subnet < 0) {
            int first = ThreadLocalRandom.current().nextInt(1, 255);
            for (int i = 0; i < 254 && subnet < 0; i++) {
                int candidate = (first + i) % 254 + 1;
                if (run(List.of("ip", "-o", "addr", "show", "to", "10.213." + candidate + ".0/24")).isBlank()) {
                    subnet = candidate;
                }
            }
            if (subnet < 0) {
                throw new IOException("no free 10.213.N.0/24 subnet");
            }
        }
        return subnet;
    }

    /** Changes the shaped rate (the link degrades or improves). */
    public void reshape(double mbps) throws IOException {
        shape(mbps, "change");
    }

    private void shape(double mbps, String verb) throws IOException {
        // tbf: the rate in kbit, a bucket of about ten full-size packets, and 100 ms of queue before drops.
        String rate = Math.round(mbps * 1000) + "kbit";
        run(List.of("tc", "qdisc", verb, "dev", hostDevice, "root", "tbf", "rate", rate, "burst", "15k", "latency", "100ms"));
        this.mbps = mbps;
    }

    /** The shaped rate, Mbit/s. */
    public double mbps() {
        return mbps;
    }

    /** The host side's address: the server is reached here from the namespace. */
    public String hostAddress() {
        return hostAddress;
    }

    /** The namespace side's address: the viewer's address as the server sees it. */
    public String viewerAddress() {
        return viewerAddress;
    }

    /** Starts {@code command} inside the namespace, output to a temporary file. */
    public Ffmpeg.Run start(String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return Ffmpeg.startProcess(full);
    }

    /** Runs {@code command} inside the namespace to completion (at most {@code seconds}); returns its output. */
    public String exec(long seconds, String... command) throws IOException, InterruptedException {
        try (Ffmpeg.Run run = start(command)) {
            int code = run.await(seconds);
            if (code == -1) {
                throw new IOException("timed out after " + seconds + " s: " + String.join(" ", command) + "\n" + run.output());
            }
            return run.output();
        }
    }

    @Override
    public void close() {
        try {
            run(List.of("ip", "netns", "del", namespace));
        } catch (IOException e) {
            // Already gone or never made.
        }
        try {
            run(List.of("ip", "link", "del", hostDevice));
        } catch (IOException e) {
            // Deleted with the namespace's end of the pair.
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "link %s Mbit/s (%s -> %s)", java.math.BigDecimal.valueOf(mbps).stripTrailingZeros().toPlainString(), hostAddress, viewerAddress);
    }

    private static String run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output.trim());
        }
        return output;
    }
}
