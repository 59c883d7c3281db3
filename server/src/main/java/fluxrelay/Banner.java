package fluxrelay;

import fluxrelay.rooms.Room;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/** The start-up text: where the server listens, and the exact OBS settings for the demo room. */
final class Banner {

    private Banner() {
    }

    static String text(String bindHost, int rtmpPort, int httpPort, Room demo, boolean hls) {
        String host = publicHost(bindHost);
        StringBuilder out = new StringBuilder();
        out.append("\n=====================================================================\n");
        out.append(" fluxrelay is running: RTMP on port ").append(rtmpPort).append(", HTTP on port ").append(httpPort).append('\n');
        if (demo != null) {
            out.append("\n Go live with OBS Studio (Settings > Stream, Service: Custom...):\n");
            out.append("   Server:     rtmp://").append(host).append(':').append(rtmpPort).append('/').append(demo.app()).append('\n');
            out.append("   Stream Key: ").append(demo.streamName()).append('\n');
            out.append("\n Watch room '").append(demo.id()).append("':\n");
            out.append("   RTMP:     rtmp://").append(host).append(':').append(rtmpPort).append('/').append(demo.app()).append('/')
                    .append(demo.id()).append('\n');
            out.append("   HTTP-FLV: http://").append(host).append(':').append(httpPort).append('/').append(demo.app()).append('/')
                    .append(demo.id()).append(".flv\n");
            if (hls) {
                out.append("   HLS:      http://").append(host).append(':').append(httpPort).append("/hls/").append(demo.id())
                        .append("/index.m3u8\n");
            }
        }
        out.append("\n Health: http://").append(host).append(':').append(httpPort).append("/health/ready   Metrics: /metrics\n");
        out.append("=====================================================================\n");
        return out.toString();
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
