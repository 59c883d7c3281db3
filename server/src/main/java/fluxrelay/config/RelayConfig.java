package fluxrelay.config;

import java.util.List;

/**
 * The whole validated server configuration; each component takes only its own part.
 *
 * @param rtmp RTMP listener
 * @param http HTTP listener
 * @param ingestPolicy live stream rules
 * @param stream hub limits
 * @param rooms rooms from the configuration, the demo room included when enabled
 * @param demoRoom the demo room when enabled, else null
 * @param admin the admin API
 * @param operations metrics and lifecycle
 * @param webhooks platform webhooks
 * @param limits connection caps
 * @param tls RTMPS and HTTPS
 * @param hls HLS packaging
 * @param bandwidth per-viewer bandwidth checks
 * @param demoKeyGenerated the demo room's stream name was generated at this start (none was configured)
 * @param cluster several nodes through a shared Redis (off by default)
 * @param access viewer access tokens
 * @param recording recording of live sessions
 * @param program how a room's program switches between its inputs (failover, failback)
 * @param web the console and watch pages
 * @param transport the socket transport asked for
 * @param ladder the server-side rendition ladder's processes
 */
public record RelayConfig(RtmpConfig rtmp, HttpConfig http, IngestPolicyConfig ingestPolicy, StreamConfig stream,
                          List<RoomConfig> rooms, RoomConfig demoRoom, AdminConfig admin, OperationsConfig operations,
                          WebhooksConfig webhooks, LimitsConfig limits, TlsConfig tls, HlsConfig hls,
                          BandwidthConfig bandwidth, boolean demoKeyGenerated, ClusterConfig cluster,
                          AccessConfig access, RecordingConfig recording, ProgramConfig program, WebConfig web,
                          TransportChoice transport,
                          LadderConfig ladder) {

    public RelayConfig {
        rooms = List.copyOf(rooms);
        program = program == null ? ProgramConfig.DEFAULTS : program;
        transport = transport == null ? TransportChoice.AUTO : transport;
        ladder = ladder == null ? LadderConfig.DEFAULTS : ladder;
    }

}
