package fluxrelay.loadtest.cli;

import fluxrelay.loadtest.metrics.StepResult;
import fluxrelay.loadtest.report.Comparison;
import fluxrelay.loadtest.report.Reports;
import fluxrelay.loadtest.run.LoadPlan;
import fluxrelay.loadtest.run.LoadRun;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of {@code relay-loadtest.jar}: {@code run} (the default) a load plan, {@code compare} two
 * CSV reports, or {@code bench} the JMH microbenchmarks. Exit codes: 0 done, 1 the run failed, 2 bad usage.
 */
public final class LoadTestMain {

    private LoadTestMain() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command line; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        List<String> list = Arrays.asList(args);
        if (list.isEmpty() || list.contains("-h") && !"bench".equals(list.get(0)) || list.contains("--help")) {
            out.print(Usage.TEXT);
            return list.isEmpty() ? 2 : 0;
        }
        String command = list.get(0);
        return switch (command) {
            case "bench" -> {
                org.openjdk.jmh.Main.main(list.subList(1, list.size()).toArray(String[]::new));
                yield 0;
            }
            case "compare" -> compare(list.subList(1, list.size()), out, err);
            case "run" -> load(list.subList(1, list.size()), out, err);
            default -> load(list, out, err);
        };
    }

    private static int load(List<String> args, PrintStream out, PrintStream err) throws Exception {
        LoadPlan plan;
        try {
            plan = Arguments.parse(args);
        } catch (Arguments.UsageException e) {
            err.println("relay-loadtest: " + e.getMessage());
            return 2;
        }
        List<StepResult> results;
        try {
            results = new LoadRun(plan, out).run();
        } catch (IllegalStateException e) {
            err.println("relay-loadtest: " + e.getMessage());
            return 1;
        }
        out.println();
        out.print(Reports.markdown(results));
        if (plan.csv() != null) {
            Reports.write(plan.csv(), Reports.csv(results));
        }
        if (plan.json() != null) {
            Reports.write(plan.json(), Reports.json(meta(plan, args), results));
        }
        return 0;
    }

    private static Map<String, String> meta(LoadPlan plan, List<String> args) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("label", plan.label());
        meta.put("date", Instant.now().toString());
        meta.put("command", String.join(" ", args));
        meta.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        meta.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        meta.put("processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
        meta.put("cpu", cpuModel());
        return meta;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static int compare(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Path ours = null;
        Path peer = null;
        String ourName = "fluxrelay";
        String peerName = "peer";
        for (int i = 0; i + 1 < args.size(); i += 2) {
            switch (args.get(i)) {
                case "--ours" -> ours = Path.of(args.get(i + 1));
                case "--peer" -> peer = Path.of(args.get(i + 1));
                case "--ours-name" -> ourName = args.get(i + 1);
                case "--peer-name" -> peerName = args.get(i + 1);
                default -> {
                    err.println("relay-loadtest compare: unknown option " + args.get(i));
                    return 2;
                }
            }
        }
        if (ours == null || peer == null || args.size() % 2 != 0) {
            err.println("relay-loadtest compare: needs --ours FILE.csv and --peer FILE.csv");
            return 2;
        }
        out.print(Comparison.markdown(Reports.readCsv(ours), ourName, Reports.readCsv(peer), peerName));
        return 0;
    }
}
