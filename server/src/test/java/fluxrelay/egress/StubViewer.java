package fluxrelay.egress;

import fluxrelay.bandwidth.BandwidthVerdict;
import fluxrelay.stream.StreamStart;
import fluxrelay.stream.StreamStop;
import io.netty.channel.Channel;

/**
 * A viewer of protocol "test" that announces nothing, ends by closing its channel and leaves {@link #write} to the test:
 * for tests of {@link ChannelViewer}'s own flushing and following.
 */
abstract class StubViewer extends ChannelViewer {

    StubViewer(Channel channel, ViewerLimits limits) {
        super(channel, limits, new EgressCounters("test"));
    }

    @Override
    public String protocol() {
        return "test";
    }

    @Override
    protected void started(StreamStart start) {
    }

    @Override
    protected void stopped(StreamStop reason) {
    }

    @Override
    protected void flagged(BandwidthVerdict verdict) {
    }

    @Override
    protected void farewell(ViewerEnd end) {
        channel.close();
    }

    @Override
    protected void departed(ViewerEnd end) {
    }
}
