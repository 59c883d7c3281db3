package fluxrelay;

import fluxrelay.config.ConfigException;
import fluxrelay.config.ConfigLoader;
import fluxrelay.config.RelayConfig;
import java.io.File;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar relay-server.jar [--config FILE] [--import-rooms] [--version]}: reads the arguments, loads the
 * configuration (exit 2 with "configuration error: ..." when it is wrong), starts the server and prints the banner
 * (exit 1 with "cannot start: ..." when a listener cannot bind), and drains on SIGTERM.
 */
final class CommandLine {

    private static final Logger log = LoggerFactory.getLogger(CommandLine.class);

    private CommandLine() {
    }

    static void run(String[] args) {
        File configFile = null;
        boolean importRooms = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-c" -> {
                    if (i + 1 >= args.length) {
                        System.err.println("--config needs a file");
                        System.exit(2);
                    }
                    configFile = new File(args[++i]);
                }
                case "--version", "-V" -> {
                    System.out.println("fluxrelay " + RelayServer.version());
                    return;
                }
                case "--import-rooms" -> importRooms = true;
                case "--help", "-h" -> {
                    System.out.println("usage: java -jar relay-server.jar [--config FILE] [--import-rooms] [--version]\n"
                            + "  --config FILE  HOCON file overriding the defaults (see config/reference.conf)\n"
                            + "  --import-rooms copy the config's rooms (and the rooms file) into the cluster's Redis once, then exit\n"
                            + "  --version      print the version and exit\n"
                            + "Environment: RELAY_RTMP_PORT, RELAY_HTTP_PORT, RELAY_DEMO_STREAM_NAME, RELAY_ADMIN_TOKEN, "
                            + "RELAY_ROOMS_FILE, RELAY_TLS_CERTIFICATE, RELAY_TLS_PRIVATE_KEY, RELAY_RTMPS_PORT, RELAY_HTTPS_PORT,\n"
                            + "RELAY_TRANSPORT (auto, epoll, io_uring or nio), "
                            + "or CONFIG_FORCE_relay_<path with _ for . and __ for ->");
                    return;
                }
                default -> {
                    System.err.println("unknown argument: " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        RelayConfig config;
        RelayServer server;
        try {
            config = new ConfigLoader().load(configFile);
            if (importRooms) {
                System.exit(RelayServer.importRooms(config));
                return;
            }
            server = new RelayServer(config);
        } catch (ConfigException | IllegalStateException | IllegalArgumentException e) {
            // A constructor refusing a value the loader let through is a configuration error too, never a stack trace.
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            server.start();
        } catch (Exception e) {
            log.error("cannot start: {}", e.getMessage());
            System.err.println("cannot start: " + e.getMessage());
            server.close();
            System.exit(1);
            return;
        }
        Shutdown.onTerminate(() -> server.drainAndClose(config.operations().drainTimeout()));
        System.out.println(server.banner());
    }
}
