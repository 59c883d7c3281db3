package fluxrelay.config;

/**
 * The console and watch pages served from the jar ({@code relay.web}).
 *
 * @param enabled whether {@code /console/}, {@code /watch/{room-id}}, their files and the public room state are served
 * @param frameAncestors the Content-Security-Policy {@code frame-ancestors} sources of the watch page (who may embed it)
 */
public record WebConfig(boolean enabled, String frameAncestors) {
}
