/**
 * JMH microbenchmarks of the server's hot paths, on synthetic frames shaped like the benchmark stream:
 * chunk decode at ingest (RTMP spec 5.3), chunk encode per viewer against chunking once per event loop,
 * and FLV demux (FLV spec E.4). Run with {@code java -jar relay-loadtest.jar bench [-prof gc]}; never run by
 * {@code mvn verify}.
 */
package fluxrelay.loadtest.bench;
