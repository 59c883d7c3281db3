package fluxrelay.config;

/**
 * The HTTP listener ({@code relay.http}): HTTP-FLV, HLS, admin API, metrics and health.
 *
 * @param host bind address
 * @param port TCP port, 0 for an ephemeral one
 * @param maxInitialLineLength longest request line
 * @param maxHeaderSize largest header block
 * @param maxContentLength largest request body
 * @param requestTimeout a request must arrive completely within this
 * @param idleTimeout a keep-alive connection may wait this long for its next request
 */
public record HttpConfig(String host, int port, int maxInitialLineLength, int maxHeaderSize, int maxContentLength,
                         java.time.Duration requestTimeout, java.time.Duration idleTimeout) {
}
