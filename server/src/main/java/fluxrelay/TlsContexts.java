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

/** Builds the server's TLS context from the configured PEM files: OpenSSL when available, the JDK otherwise. */
final class TlsContexts {

    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);

    private TlsContexts() {
    }

    /** The server context, or null when TLS is off. */
    static SslContext server(TlsConfig tls) {
        if (!tls.enabled()) {
            return null;
        }
        SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        try {
            SslContext context = SslContextBuilder.forServer(tls.certificate().toFile(), tls.privateKey().toFile())
                    .sslProvider(provider).build();
            log.info("TLS ready ({} provider)", provider);
            return context;
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException("relay.tls: cannot use certificate " + tls.certificate() + " with key " + tls.privateKey() + ": "
                    + e.getMessage(), e);
        }
    }
}
