package fluxrelay.config;

/**
 * The HTTP listener ({@code relay.http}): HTTP-FLV, HLS, admin API, metrics and health.
 *
 * @param host bind address
 * @param port TCP port, 0 for an ephemeral one
 * @param maxInitialLineLength longest request line
 * @param maxHeaderSize largest header block
 * @param maxContentLength largest request body
 */
public record HttpConfig(String host, int port, int maxInitialLineLength, int maxHeaderSize, int maxContentLength) {
}
