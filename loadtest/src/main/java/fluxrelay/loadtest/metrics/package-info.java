/**
 * What the load generator measures: per-viewer counters kept on the viewer's event loop, HdrHistogram
 * recorders of relay latency and time to first frame per protocol, windows and health verdicts, and the
 * server's CPU and memory from Linux procfs (proc(5): /proc/PID/stat, /proc/PID/status).
 */
package fluxrelay.loadtest.metrics;
