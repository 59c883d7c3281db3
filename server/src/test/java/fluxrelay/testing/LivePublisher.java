package fluxrelay.testing;

import fluxrelay.stream.Publisher;
import java.net.SocketAddress;

/** A publisher for tests that is always connected and never silent; eviction does nothing unless a test overrides it. */
public class LivePublisher implements Publisher {

    private final SocketAddress address;

    public LivePublisher(SocketAddress address) {
        this.address = address;
    }

    @Override
    public long lastActivityNanos() {
        return System.nanoTime();
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public SocketAddress remoteAddress() {
        return address;
    }

    @Override
    public void evict(String reason) {
    }
}
