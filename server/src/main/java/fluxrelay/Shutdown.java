package fluxrelay;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT start a graceful drain and the process exits 0 when it is done, as orchestrators
 * expect of a clean stop (a plain JVM would exit 143). Other exits still close the server through a
 * shutdown hook.
 */
final class Shutdown {

    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

    private Shutdown() {
    }

    static void onTerminate(Runnable drainAndClose) {
        Thread drain = new Thread(() -> {
            drainAndClose.run();
            System.exit(0);
        }, "drain");
        Runnable start = () -> {
            synchronized (drain) {
                if (drain.getState() == Thread.State.NEW) {
                    drain.start();
                }
            }
        };
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    log.info("SIG{} received: draining", name);
                    start.run();
                });
            } catch (IllegalArgumentException e) {
                log.debug("signal {} not available here", name);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (drain.getState() == Thread.State.NEW) {
                drainAndClose.run();
            }
        }, "shutdown"));
    }
}
