package fluxrelay.config;

import java.nio.file.Path;

/**
 * TLS listeners ({@code relay.tls}): RTMPS and HTTPS beside the plain ones.
 *
 * @param certificate PEM certificate chain, or null when TLS is off
 * @param privateKey PEM private key (PKCS#8), or null when TLS is off
 * @param rtmpsPort RTMPS port, -1 off, 0 ephemeral
 * @param httpsPort HTTPS port, -1 off, 0 ephemeral
 */
public record TlsConfig(Path certificate, Path privateKey, int rtmpsPort, int httpsPort) {

    /** RTMPS listens here when a certificate is set and no port is given. */
    public static final int DEFAULT_RTMPS_PORT = 1936;
    /** HTTPS listens here when a certificate is set and no port is given. */
    public static final int DEFAULT_HTTPS_PORT = 8443;

    /** True when a certificate is configured and at least one TLS listener is on. */
    public boolean enabled() {
        return certificate != null && (rtmpsPort >= 0 || httpsPort >= 0);
    }
}
