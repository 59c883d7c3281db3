package fluxrelay.ingest;

/** What the ingest service reports for counting (metrics). Implementations are cheap and thread-safe. */
public interface IngestEvents {

    /** Counts nothing. */
    IngestEvents NONE = new IngestEvents() {
    };

    /** A publish was refused; {@code reason} is a short fixed label (unknown_stream_name, rate_limited, ...). */
    default void publishRefused(String reason) {
    }
}
