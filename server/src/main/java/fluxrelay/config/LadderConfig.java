package fluxrelay.config;

import java.time.Duration;

/**
 * The server-side ladder ({@code relay.ladder}): how the server runs the ffmpeg processes that make lower renditions of
 * a room's program for rooms that declare a {@code ladder} ({@link LadderRungConfig}). Nothing runs unless a room has
 * one.
 *
 * @param ffmpeg the ffmpeg executable: a name looked up in {@code PATH} or a path
 * @param maxProcesses ladder processes running at once on this server (one per live ladder room); further rooms wait
 * @param restartMin the wait before restarting a process that failed the first time
 * @param restartMax the longest wait between restarts (the wait doubles per failure up to this)
 * @param preset the x264 preset of every rung (speed against quality per bit)
 */
public record LadderConfig(String ffmpeg, int maxProcesses, Duration restartMin, Duration restartMax, String preset) {

    /** The defaults of {@code reference.conf}. */
    public static final LadderConfig DEFAULTS = new LadderConfig("ffmpeg", 4, Duration.ofSeconds(1), Duration.ofSeconds(60),
            "veryfast");
}
