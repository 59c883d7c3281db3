package fluxrelay.config;

import java.time.Duration;

/**
 * The stream hub's limits ({@code relay.stream}).
 *
 * @param gopCache the join cache of one room
 * @param flush how long writes to a viewer wait for their flush
 * @param viewerMaxLag a viewer behind for longer is disconnected
 * @param viewerMaxQueuedBytes past this many queued bytes a viewer's audio is dropped too
 * @param maxViewersPerRoom most viewers one room takes
 * @param viewerIdleTimeout a viewer that received nothing this long is disconnected
 * @param maxTimestampJump a publisher's timestamp stepping forward further than this (or back) rebases the room's timeline
 * @param publisherGapGrace how long after its encoder stopped a room's RTMP viewers wait for another before they are
 *     told the stream was unpublished; zero tells them at once
 */
public record StreamConfig(GopCache gopCache, Flush flush, Duration viewerMaxLag, long viewerMaxQueuedBytes,
                           int maxViewersPerRoom, Duration viewerIdleTimeout, Duration maxTimestampJump,
                           Duration publisherGapGrace) {

    /**
     * The GOP cache of one room.
     *
     * @param maxBytes most bytes it holds
     * @param maxFrames most frames it holds
     */
    public record GopCache(long maxBytes, int maxFrames) {
    }

    /**
     * Flush batching of viewer writes.
     *
     * @param interval writes to a viewer wait at most this long for their flush while the loop is not crowded; zero
     *     flushes every frame
     * @param intervalMax the longest such wait on a crowded loop
     * @param perSecond viewer flushes per second and event loop past which the wait grows toward the maximum
     * @param writeMerge when not zero, every viewer's writes are merged and sent once per this window instead, whatever
     *     the three above say (latency traded for CPU on large audiences)
     * @param writeMergeSlots how many parts of the merge window a loop's viewers are spread over, each part's viewers
     *     flushed together
     * @param writeMergeBlockBytes when not zero, the messages a loop's viewers in step share are copied into blocks of
     *     this size kept across the window's ticks, so each viewer's window is written as one buffer; zero merges them
     *     anew at each tick
     * @param writeMergeMaxBlocks most such blocks alive per group of viewers in step and event loop
     * @param slots without merged writes, how many parts of the flush interval a loop's viewers are spread over, each
     *     part's viewers flushed at its own tick
     * @param blockBytes without merged writes, the size of the blocks the shared messages are kept in across the flush
     *     interval's ticks, so each viewer's interval is one buffer and the viewers in step go in lockstep; zero shares
     *     them per tick
     * @param maxBlocks most such blocks alive per group of viewers in step and event loop
     */
    public record Flush(Duration interval, Duration intervalMax, int perSecond, Duration writeMerge, int writeMergeSlots,
            int writeMergeBlockBytes, int writeMergeMaxBlocks, int slots, int blockBytes, int maxBlocks) {
    }
}
