package fluxrelay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.rooms.Room;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start-up text a newcomer reads first. */
class BannerTest {

    private static final Banner.Listeners AT = new Banner.Listeners("127.0.0.1", 1935, 1936, 8080, 8443);
    private final Banner.Shown demo = new Banner.Shown(new Room("demo", "Demo", "live", "demo-key-0123456789abc", true), true, true);
    private final Banner.Shown keynote = new Banner.Shown(new Room("keynote", "Keynote", "live", "keynote-key-0123456789", true),
            true, false);

    @Test
    void showsTheDemoSettingsEveryRoomsUrlsAndTheTlsListenersButNoOtherKey() {
        String text = Banner.text(AT, demo, true, List.of(demo, keynote));
        assertTrue(text.contains("Stream Key: demo-key-0123456789abc"), text);
        assertTrue(text.contains("changes at every start"), text);
        assertTrue(text.contains("rtmps://127.0.0.1:1936/live"), text);
        assertTrue(text.contains("HTTPS on 8443"), text);
        assertTrue(text.contains("LL-HLS:   http://127.0.0.1:8080/hls/demo/ll.m3u8"), text);
        assertTrue(text.contains("Watch room 'keynote'"), text);
        assertTrue(text.contains("http://127.0.0.1:8080/hls/keynote/index.m3u8"), text);
        assertFalse(text.contains("/hls/keynote/ll.m3u8"), "no LL-HLS URL for a room packaged to MPEG-TS only");
        assertFalse(text.contains("keynote-key-0123456789"), "only the demo room's key is printed");
        assertTrue(text.contains("/api/rooms"), text);
    }

    @Test
    void aConfiguredDemoKeyGetsNoRandomNoteAndManyRoomsAreCounted() {
        List<Banner.Shown> many = new ArrayList<>();
        for (int i = 0; i < Banner.MAX_ROOMS + 5; i++) {
            many.add(new Banner.Shown(new Room("room" + i, null, "live", "room-key-0123456789-" + i, true), true, true));
        }
        String text = Banner.text(new Banner.Listeners("127.0.0.1", 1935, -1, 8080, -1), null, false, many);
        assertFalse(text.contains("changes at every start"));
        assertFalse(text.contains("rtmps://"));
        assertTrue(text.contains("... and 5 more rooms"), text);
    }
}
