package fluxrelay.recording;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes finished recordings by age and by total size, oldest first; recordings being written or finalized are
 * counted in the total but never deleted, nor are those a live DVR window reads.
 */
final class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private Retention() {
    }

    /**
     * @param maxAge finished recordings that ended longer ago are deleted; zero keeps them
     * @param maxTotalBytes the oldest finished recordings are deleted while all take more; zero for no limit
     * @param pinned true for the ids of recordings a live DVR window reads: kept whatever their age and size
     */
    static void apply(Catalogue catalogue, Duration maxAge, long maxTotalBytes, Instant now,
                      java.util.function.Predicate<String> pinned) throws IOException {
        List<Recording> all = catalogue.all();
        long total = all.stream().mapToLong(Recording::size).sum();
        for (Recording recording : all) {
            if (!Recorder.finished(recording) || pinned.test(recording.id())) {
                continue;
            }
            Instant end = recording.end() == null ? recording.start() : recording.end();
            boolean old = !maxAge.isZero() && end.plus(maxAge).isBefore(now);
            boolean over = maxTotalBytes > 0 && total > maxTotalBytes;
            if (old || over) {
                catalogue.delete(recording.id());
                total -= recording.size();
                log.info("recording {} deleted by retention ({})", recording.id(),
                        old ? "older than relay.recording.max-age" : "over relay.recording.max-total-size");
            }
        }
    }
}
