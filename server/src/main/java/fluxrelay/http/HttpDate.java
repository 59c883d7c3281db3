package fluxrelay.http;

import io.netty.handler.codec.DateFormatter;
import java.util.Date;

/**
 * An HTTP date (RFC 9110 5.6.7) formatted once per second rather than once per response: thousands of
 * Low-Latency HLS answers a second carry the same {@code Date} and, for one part or playlist, the same
 * {@code Last-Modified}. One instance per header; safe on every event loop (an immutable entry swapped whole).
 */
final class HttpDate {

    private record Entry(long second, String text) {
    }

    private volatile Entry last = new Entry(Long.MIN_VALUE, "");

    /** {@code millis} since the epoch, to the second, as an IMF-fixdate. */
    String format(long millis) {
        long second = Math.floorDiv(millis, 1000);
        Entry entry = last;
        if (entry.second() != second) {
            entry = new Entry(second, DateFormatter.format(new Date(second * 1000)));
            last = entry;
        }
        return entry.text();
    }
}
