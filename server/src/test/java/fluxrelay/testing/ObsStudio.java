package fluxrelay.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * OBS Studio (Debian's {@code obs-studio}) as a real encoder, headless: run under {@code xvfb-run} (OBS needs an X
 * display and OpenGL, which Mesa's llvmpipe gives on Xvfb), with a fresh home holding one profile and one scene
 * collection, streaming a solid colour to a custom RTMP server from the command line ({@code --startstreaming}).
 * 320x240 at 25 fps, x264 ultrafast CBR 800 kbit/s with a keyframe every second, AAC 128 kbit/s (silence).
 *
 * <p>Needs {@code obs} and {@code xvfb-run} ({@code apt-get install obs-studio xvfb xauth}); without them the calling
 * test is skipped, or fails under CI ({@link Requirements}).
 */
public final class ObsStudio {

    private static final String PROFILE = "fluxrelay";

    private ObsStudio() {
    }

    /** Skips (or, under CI, fails) the calling test unless OBS and xvfb-run are installed. */
    public static void require() {
        Requirements.tool("obs", "apt-get install obs-studio");
        Requirements.tool("xvfb-run", "apt-get install xvfb xauth");
    }

    /**
     * Starts OBS streaming a solid colour to {@code server} (an {@code rtmp://host:port/app} URL) with {@code key}.
     * Close the run to stop it; {@link #kill} ends OBS itself with SIGKILL, as a crash does.
     *
     * @param home an empty directory for OBS's configuration and logs
     * @param abgr the colour as OBS stores it, alpha-blue-green-red (opaque green: 0xFF00FF00)
     */
    public static Ffmpeg.Run stream(Path home, String server, String key, long abgr) throws IOException {
        Path config = home.resolve(".config/obs-studio");
        Path profile = config.resolve("basic/profiles/" + PROFILE);
        Files.createDirectories(profile);
        Files.createDirectories(config.resolve("basic/scenes"));
        // FirstRun=true: OBS has "run before", so no auto-configuration wizard waits for a click.
        Files.writeString(config.resolve("global.ini"), """
                [General]
                FirstRun=true

                [Basic]
                Profile=%1$s
                ProfileDir=%1$s
                SceneCollection=%1$s
                SceneCollectionFile=%1$s
                """.formatted(PROFILE));
        Files.writeString(profile.resolve("basic.ini"), """
                [General]
                Name=%s

                [Video]
                BaseCX=320
                BaseCY=240
                OutputCX=320
                OutputCY=240
                FPSType=1
                FPSInt=25

                [Output]
                Mode=Simple

                [SimpleOutput]
                VBitrate=800
                StreamEncoder=x264
                Preset=ultrafast
                UseAdvanced=true
                x264Settings=keyint=25
                ABitrate=128
                """.formatted(PROFILE));
        Files.writeString(profile.resolve("service.json"), """
                {"type": "rtmp_custom", "settings": {"server": "%s", "key": "%s", "use_auth": false, "bwtest": false}}
                """.formatted(server, key));
        Files.writeString(config.resolve("basic/scenes/" + PROFILE + ".json"), """
                {"current_scene": "Scene", "current_program_scene": "Scene", "name": "%s", "scene_order": [{"name": "Scene"}],
                 "sources": [
                  {"id": "scene", "versioned_id": "scene", "name": "Scene", "settings": {"id_counter": 1, "custom_size": false,
                    "items": [{"name": "Colour", "id": 1, "visible": true, "locked": false, "rot": 0.0, "pos": {"x": 0.0, "y": 0.0},
                      "scale": {"x": 1.0, "y": 1.0}, "align": 5, "bounds_type": 0, "bounds_align": 0, "bounds": {"x": 0.0, "y": 0.0},
                      "crop_left": 0, "crop_top": 0, "crop_right": 0, "crop_bottom": 0}]}},
                  {"id": "color_source", "versioned_id": "color_source_v3", "name": "Colour",
                   "settings": {"color": %d, "width": 320, "height": 240}}
                 ]}
                """.formatted(PROFILE, abgr));
        return Ffmpeg.startProcess(List.of("env", "HOME=" + home, "xvfb-run", "-a", "-s", "-screen 0 640x480x24",
                "obs", "--multi", "--disable-shutdown-check", "--disable-missing-files-check", "--startstreaming",
                "--minimize-to-tray"));
    }

    /** Ends the OBS process of {@code run} (not the X server around it) with SIGKILL. */
    public static void kill(Ffmpeg.Run run) {
        ProcessHandle.of(run.pid()).ifPresent(top -> top.descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/obs")).orElse(false))
                .forEach(ProcessHandle::destroyForcibly));
    }
}
