package fluxrelay.ingest;

/** What the ingest service reports for counting (metrics). Implementations are cheap and thread-safe. */
@FunctionalInterface
public interface IngestEvents {

    /** Counts nothing. */
    IngestEvents NONE = reason -> { };

    /** A publish was refused; {@code reason} is a short fixed label (unknown_stream_name, rate_limited, ...). */
    void publishRefused(String reason);
}
