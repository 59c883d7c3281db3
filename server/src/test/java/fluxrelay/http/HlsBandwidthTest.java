package fluxrelay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The playback token reaches every URI a playlist lists, and nothing else changes. */
class HlsBandwidthTest {

    @Test
    void everyUriLineAndUriAttributeCarriesTheToken() {
        String playlist = String.join("\n",
                "#EXTM3U",
                "#EXT-X-TARGETDURATION:2",
                "#EXT-X-MAP:URI=\"init.mp4\"",
                "#EXT-X-PART:DURATION=0.5,URI=\"ll-7.0.m4s\",INDEPENDENT=YES",
                "#EXTINF:2.000,",
                "ll-7.m4s",
                "",
                "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"ll-8.1.m4s\"",
                "stream.m3u8?x=1",
                "");
        assertEquals(String.join("\n",
                "#EXTM3U",
                "#EXT-X-TARGETDURATION:2",
                "#EXT-X-MAP:URI=\"init.mp4?bwtoken=T.k\"",
                "#EXT-X-PART:DURATION=0.5,URI=\"ll-7.0.m4s?bwtoken=T.k\",INDEPENDENT=YES",
                "#EXTINF:2.000,",
                "ll-7.m4s?bwtoken=T.k",
                "",
                "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"ll-8.1.m4s?bwtoken=T.k\"",
                "stream.m3u8?x=1&bwtoken=T.k",
                ""), HlsBandwidth.withToken(playlist, "bwtoken", "T.k"));
    }
}
