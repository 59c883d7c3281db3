package fluxrelay;

import fluxrelay.rooms.Room;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;

/**
 * The start-up text: where the server listens, the exact OBS settings for the demo room, and the viewer URLs of
 * every room (configured and created at runtime; the first few). Printed to the console, not to the log; of the
 * stream keys only the demo room's is shown, the others stay in the configuration and the admin API.
 */
final class Banner {

    /** Rooms listed one by one; the rest are counted. */
    static final int MAX_ROOMS = 10;

    /**
     * What the server listens on.
     *
     * @param bindHost the RTMP listener's bind address
     * @param rtmpPort bound RTMP port
     * @param rtmpsPort bound RTMPS port, or -1
     * @param httpPort bound HTTP port
     * @param httpsPort bound HTTPS port, or -1
     */
    record Listeners(String bindHost, int rtmpPort, int rtmpsPort, int httpPort, int httpsPort) {
    }

    /**
     * One room to show.
     *
     * @param room the room
     * @param hls its HLS playlist is served (MPEG-TS)
     * @param lowLatency its LL-HLS playlist is served
     */
    record Shown(Room room, boolean hls, boolean lowLatency) {
    }

    private Banner() {
    }

    /**
     * @param demo the demo room, or null
     * @param demoKeyGenerated the demo key was generated at this start (it changes at every start)
     * @param rooms every room, the demo included
     */
    static String text(Listeners at, Shown demo, boolean demoKeyGenerated, List<Shown> rooms) {
        String host = publicHost(at.bindHost());
        StringBuilder out = new StringBuilder();
        out.append("\n=====================================================================\n");
        out.append(" fluxrelay ").append(RelayServer.version()).append(" is running: RTMP on port ").append(at.rtmpPort());
        if (at.rtmpsPort() > 0) {
            out.append(", RTMPS on ").append(at.rtmpsPort());
        }
        out.append(", HTTP on ").append(at.httpPort());
        if (at.httpsPort() > 0) {
            out.append(", HTTPS on ").append(at.httpsPort());
        }
        out.append('\n');
        if (demo != null) {
            Room room = demo.room();
            out.append("\n Go live with OBS Studio (Settings > Stream, Service: Custom...):\n");
            out.append("   Server:     rtmp://").append(host).append(':').append(at.rtmpPort()).append('/').append(room.app()).append('\n');
            if (at.rtmpsPort() > 0) {
                out.append("   (or         rtmps://").append(host).append(':').append(at.rtmpsPort()).append('/').append(room.app())
                        .append(")\n");
            }
            out.append("   Stream Key: ").append(room.streamName()).append('\n');
            if (demoKeyGenerated) {
                out.append("   This key is random and changes at every start: set RELAY_DEMO_STREAM_NAME (16 characters or\n")
                        .append("   more) or relay.demo-room.stream-name to keep one.\n");
            }
        }
        int listed = 0;
        for (Shown shown : rooms) {
            if (listed++ == MAX_ROOMS) {
                out.append("\n ... and ").append(rooms.size() - MAX_ROOMS).append(" more rooms: GET /api/rooms lists them all.\n");
                break;
            }
            watch(out, host, at, shown, demo != null && shown.room().id().equals(demo.room().id()));
        }
        out.append("\n Rooms and keys: http://").append(host).append(':').append(at.httpPort())
                .append("/api/rooms (admin API; without a token, from this machine only)\n");
        out.append(" Health: http://").append(host).append(':').append(at.httpPort()).append("/health/ready   Metrics: /metrics\n");
        out.append("=====================================================================\n");
        return out.toString();
    }

    private static void watch(StringBuilder out, String host, Listeners at, Shown shown, boolean demo) {
        Room room = shown.room();
        String http = "http://" + host + ':' + at.httpPort();
        out.append("\n Watch room '").append(room.id()).append("'");
        if (!demo) {
            out.append(" (publish: rtmp://").append(host).append(':').append(at.rtmpPort()).append('/').append(room.app())
                    .append(" with its stream key)");
        }
        out.append(":\n");
        out.append("   RTMP:     rtmp://").append(host).append(':').append(at.rtmpPort()).append('/').append(room.app()).append('/')
                .append(room.id()).append('\n');
        out.append("   HTTP-FLV: ").append(http).append('/').append(room.app()).append('/').append(room.id()).append(".flv\n");
        if (shown.hls()) {
            out.append("   HLS:      ").append(http).append("/hls/").append(room.id()).append("/index.m3u8\n");
        }
        if (shown.lowLatency()) {
            out.append("   LL-HLS:   ").append(http).append("/hls/").append(room.id()).append("/ll.m3u8\n");
        }
    }

    /** The address to print: the bind address, or the first non-loopback IPv4 address when bound to all. */
    private static String publicHost(String bind) {
        if (!bind.equals("0.0.0.0") && !bind.equals("::")) {
            return bind;
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return address.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            return "localhost";
        }
        return "localhost";
    }
}
