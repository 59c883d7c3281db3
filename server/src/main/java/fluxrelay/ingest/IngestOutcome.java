package fluxrelay.ingest;

/** The answer to {@link IngestService#begin}: a running publication, or a refusal the encoder is shown. */
public sealed interface IngestOutcome {

    /** The publisher owns its feed's slot; push frames through the publication and end it when done. */
    record Started(Publication publication) implements IngestOutcome {
    }

    /**
     * The publish is refused.
     *
     * @param reason short fixed label for metrics and logs (unknown_stream_name, already_publishing, ...)
     * @param description sentence for the encoder's status message
     */
    record Refused(String reason, String description) implements IngestOutcome {
    }
}
