package fluxrelay.loadtest.cli;

/** The {@code --help} text. */
final class Usage {

    static final String TEXT = """
            usage: java -jar relay-loadtest.jar [run] OPTIONS
                   java -jar relay-loadtest.jar compare --ours FILE.csv --peer FILE.csv [--ours-name N] [--peer-name N]
                   java -jar relay-loadtest.jar bench [JMH OPTIONS]   (JMH microbenchmarks; 'bench -h' for JMH's options)

            Publishes an FLV file in real time to one or more RTMP URLs and plays it back with many simulated
            RTMP, HTTP-FLV and HLS viewers, step by step, measuring health, bitrate, stalls, relay latency and
            time to first frame per viewer, and the server's CPU and memory. Progress is printed while it runs;
            a table at the end, and optionally JSON and CSV reports.

            Stream:
              --file FLV              FLV file the publishers replay, looped with continuous timestamps
              --publish URL           rtmp://host:port/app/key to publish to (repeat for more publishers)
              --no-stamp              do not put latency stamps (H.264 SEI) in the video frames
            Viewers (spread round-robin over the URLs of their kind):
              --rtmp URL              rtmp://host:port/app/name[?query] to play (repeatable); the query is sent with
                                      the name, e.g. ?rendition=240p
              --flv URL               http://host:port/app/name.flv HTTP-FLV URL (repeatable)
              --hls URL               http://host:port/.../index.m3u8 HLS playlist URL (repeatable)
              --llhls URL             http://host:port/.../ll.m3u8 Low-Latency HLS media playlist URL (repeatable): blocking
                                      reloads for the next part, each part fetched; part delay and age per part
              --llhls-poll            LL-HLS viewers poll the playlist (every part target) instead of blocking reloads,
                                      for a web server serving the files, which cannot hold a reload
              --rtmp-viewers N        RTMP viewers (default 0)
              --flv-viewers N         HTTP-FLV viewers (default 0)
              --hls-viewers N         HLS viewers (default 0)
              --llhls-viewers N       LL-HLS viewers (default 0)
              --ladder N,N,...        steps: the ladder kind's viewer count at each step (others stay fixed); a step
                                      of 0 viewers in all measures the server with its publishers alone
              --ladder-kind KIND      rtmp, http-flv, hls or llhls (default rtmp)
              --ramp N                viewers started per second (default 500)
            Timing and verdicts:
              --settle DUR            wait after each ramp (and before the first step) before measuring (default 5s)
              --duration DUR          measurement window of each step (default 20s)
              --progress DUR          interval of progress lines (default 2s)
              --stall DUR             a gap longer than this is a stall (default 1s)
              --healthy-share F       share of the stream's bytes a healthy viewer gets, with no stall (default 0.95)
              --stop-below F          stop the ladder after a step with fewer healthy viewers than this share (default 0.5)
              --warmup-viewers N      before the first step, play N viewers of the ladder kind for the warm-up time and
                                      close them, so no JIT (server's or ours) is still compiling in a measured step
              --warmup DUR            how long the warm-up viewers play (default 30s)
              --warmup-joins N        the warm-up viewers join and leave N times within the warm-up, so the server's
                                      join path is as compiled as after a while in service (default 1)
              --probe URL             rtmp://host:port/app/name a time-to-first-frame probe plays (repeatable, in turn)
              --probes N              after the warm-up, N single viewers one at a time, each closed at its first
                                      keyframe; prints each one's time to first keyframe (PROBE lines) (default 0)
              --probe-interval DUR    pause between two probes (default 5s); longer than a cluster edge's pull idle
                                      timeout, every probe at an edge finds no pull open (a cold start)
            Measurement and output:
              --server-pid PID        sample this process's CPU (/proc/PID/stat), RSS and, for a JVM, heap (jcmd)
              --server-core N         the core the server is pinned to: its busy share from /proc/stat, softirq included
              --label NAME            name of the server under test in reports (default server)
              --json FILE             write a JSON report
              --csv FILE              write a CSV report (one row per step and kind)
              --threads N             event loops of the load generator (default: available processors)
              --connect-timeout DUR   TCP connect timeout (default 10s)
              -h, --help              this text

            Durations: 500ms, 5s, 2m. Example (one publisher, 100 to 1000 RTMP viewers):
              java -jar relay-loadtest.jar --file stream.flv --publish rtmp://127.0.0.1:1935/live/KEY \\
                --rtmp rtmp://127.0.0.1:1935/live/demo --ladder 100,500,1000 --server-pid 1234 --csv out.csv
            """;

    private Usage() {
    }
}
