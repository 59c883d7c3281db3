package fluxrelay;

import fluxrelay.config.ConfigException;
import fluxrelay.config.TlsConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the server's TLS context from the configured PEM files: OpenSSL when available, the JDK otherwise. TLS 1.3
 * and 1.2 only; a client may not start a TLS 1.2 renegotiation (each costs the server a full handshake, so a client
 * repeating it could burn CPU on one connection without limit): Netty's OpenSSL engine refuses it, and the JDK's
 * is told to by {@link #REJECT_RENEGOTIATION}.
 */
final class TlsContexts {

    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);
    /** The JDK's switch for refusing client-initiated renegotiation; read once, at the first server-side handshake. */
    static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

    private TlsContexts() {
    }

    /** The server context, or null when TLS is off. */
    static SslContext server(TlsConfig tls) {
        if (!tls.enabled()) {
            return null;
        }
        SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        // Set before this server makes its first handshake, which is when the JDK reads it.
        System.setProperty(REJECT_RENEGOTIATION, "true");
        try {
            SslContext context = SslContextBuilder.forServer(tls.certificate().toFile(), tls.privateKey().toFile())
                    .sslProvider(provider).protocols("TLSv1.3", "TLSv1.2").build();
            log.info("TLS ready ({} provider)", provider);
            return context;
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException("relay.tls: cannot use certificate " + tls.certificate() + " with key " + tls.privateKey() + ": "
                    + e.getMessage(), e);
        }
    }
}
