package fluxrelay.stream;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/** A publisher whose liveness the test sets. */
final class FakePublisher implements Publisher {

    volatile long lastActivity = System.nanoTime();
    volatile boolean connected = true;
    final List<String> evictions = new ArrayList<>();

    @Override
    public long lastActivityNanos() {
        return lastActivity;
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public SocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public void evict(String reason) {
        evictions.add(reason);
        connected = false;
    }
}
