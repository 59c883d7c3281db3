package fluxrelay.access;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Signs one access token from the command line, for trying a {@code token} room and as a reference for platforms:
 * <pre>
 * java -cp relay-server.jar fluxrelay.access.SignToken --room keynote --ttl 2h [--attendee A-1042] [--address 203.0.113.7]
 * </pre>
 * The secret comes from {@code --secret} or, better (a command line is visible to other users), from the
 * environment variable {@code RELAY_ACCESS_SECRET}. Prints the token alone on standard output.
 */
public final class SignToken {

    private static final Set<String> OPTIONS = Set.of("--secret", "--room", "--ttl", "--attendee", "--address");

    private SignToken() {
    }

    public static void main(String[] args) {
        int status = run(args, System.getenv("RELAY_ACCESS_SECRET"), Clock.systemUTC(), System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs the command; returns the exit status (0: the token was printed to {@code out}). */
    static int run(String[] args, String secretFromEnvironment, Clock clock, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!OPTIONS.contains(args[i]) || i + 1 >= args.length) {
                return usage(err, "unknown option or missing value: " + args[i]);
            }
            options.put(args[i], args[i + 1]);
        }
        String secret = options.getOrDefault("--secret", secretFromEnvironment);
        String room = options.get("--room");
        if (secret == null || secret.isEmpty() || room == null) {
            return usage(err, "--room and a secret (--secret or RELAY_ACCESS_SECRET) are required");
        }
        Duration ttl;
        try {
            ttl = duration(options.getOrDefault("--ttl", "2h"));
        } catch (IllegalArgumentException e) {
            return usage(err, "--ttl: " + e.getMessage());
        }
        Instant expires = clock.instant().plus(ttl);
        out.println(new AccessTokens(java.util.List.of(secret)).sign(room, expires, options.get("--attendee"),
                options.get("--address")));
        return 0;
    }

    /** A positive duration written as a number with s, m, h or d ({@code 90s}, {@code 2h}); a bare number is seconds. */
    static Duration duration(String text) {
        if (!text.matches("\\d{1,9}[smhd]?")) {
            throw new IllegalArgumentException("a number of seconds, or a number followed by s, m, h or d, got '" + text + "'");
        }
        boolean bare = Character.isDigit(text.charAt(text.length() - 1));
        char unit = bare ? 's' : text.charAt(text.length() - 1);
        long amount = Long.parseLong(bare ? text : text.substring(0, text.length() - 1));
        Duration d = switch (unit) {
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> Duration.ofSeconds(amount);
        };
        if (d.isZero()) {
            throw new IllegalArgumentException("must be positive");
        }
        return d;
    }

    private static int usage(PrintStream err, String problem) {
        err.println(problem);
        err.println("usage: SignToken --room ROOM-ID [--ttl 2h] [--attendee ID] [--address CLIENT-IP] [--secret SECRET]");
        err.println("       (the secret is better given in the environment variable RELAY_ACCESS_SECRET)");
        return 2;
    }
}
