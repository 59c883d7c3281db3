package fluxrelay.config;

import java.util.List;

/**
 * The whole validated server configuration; each component takes only its own part.
 *
 * @param rtmp RTMP listener
 * @param http HTTP listener
 * @param ingestPolicy live stream rules
 * @param stream hub limits
 * @param hls HLS packaging and serving
 * @param rooms rooms from the configuration, the demo room included when enabled
 * @param demoRoom the demo room when enabled, else null
 */
public record RelayConfig(RtmpConfig rtmp, HttpConfig http, IngestPolicyConfig ingestPolicy, StreamConfig stream, HlsConfig hls,
                          List<RoomConfig> rooms, RoomConfig demoRoom) {

    public RelayConfig {
        rooms = List.copyOf(rooms);
    }
}
