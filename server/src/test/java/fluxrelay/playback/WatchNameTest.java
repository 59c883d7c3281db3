package fluxrelay.playback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one parse of what viewer URLs name, for RTMP play names, HTTP-FLV and HLS paths. */
class WatchNameTest {

    @ParameterizedTest(name = "{0} -> room {1}, input {2}")
    @CsvSource(nullValues = "-", value = {
            "demo,                 demo,      -",
            "stage/cam2,           stage,     cam2",
            "stage/main,           stage,     main",
            "my.room_1/backup-2,   my.room_1, backup-2",
            "stage/a,              stage,     a",
            "stage/0123456789abcdef0123456789abcdef, stage, 0123456789abcdef0123456789abcdef",
    })
    void namesARoomOrOneOfItsInputs(String text, String room, String input) {
        WatchName name = WatchName.parse(text).orElseThrow();
        assertEquals(room, name.room());
        assertEquals(input, name.input());
        assertEquals(input, name.feed(), "null asks for the room's program");
        assertEquals(text, name.toString(), "written back as URLs write it");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "/", "/cam2", "stage/", "stage/CAM2", "stage/-cam2", "stage/cam_2", "stage/cam.2",
            "stage/cam2/", "stage/cam2/x", "stage//cam2", "stage/0123456789abcdef0123456789abcdef0", "stage/cam 2"})
    void namesNothingOtherwise(String text) {
        assertEquals(Optional.empty(), WatchName.parse(text));
    }

    @org.junit.jupiter.api.Test
    void nullNamesNothing() {
        assertTrue(WatchName.parse(null).isEmpty());
    }
}
