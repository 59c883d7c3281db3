/**
 * JMH microbenchmarks of the server's hot paths, on synthetic frames shaped like the benchmark stream:
 * chunk decode at ingest (RTMP spec 5.3), chunk encode per viewer against chunking once per event loop,
 * and FLV demux (FLV spec E.4). HLS packaging (MPEG-TS and fMP4 segments) is measured by
 * {@code fluxrelay.hls.HlsPackagingBenchmark}, which sits in the server's package to reach its package-private
 * segmenter and writers. Run with {@code java -jar relay-loadtest.jar bench [-prof gc]}; never run by
 * {@code mvn verify}.
 */
package fluxrelay.loadtest.bench;
