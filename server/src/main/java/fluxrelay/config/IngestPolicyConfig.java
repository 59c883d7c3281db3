package fluxrelay.config;

/**
 * The platform's rules for a live stream ({@code relay.ingest-policy}).
 *
 * @param maxWidth largest accepted picture width
 * @param maxHeight largest accepted picture height
 * @param maxFrameRate highest accepted frame rate
 * @param recommendedMinVideoKbps lower end of the recommended video bitrate
 * @param recommendedMaxVideoKbps upper end of the recommended video bitrate
 * @param strict refuse streams outside the limits instead of flagging them
 */
public record IngestPolicyConfig(int maxWidth, int maxHeight, double maxFrameRate, int recommendedMinVideoKbps,
                                 int recommendedMaxVideoKbps, boolean strict) {
}
