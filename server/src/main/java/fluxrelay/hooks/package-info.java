/**
 * Platform webhooks like nginx-rtmp's {@code on_publish} family: an asynchronous publish gate and
 * notifications with retries, over the JDK's HTTP client.
 *
 * <p>May import {@code rooms} and Jackson; nothing of RTMP or HTTP serving.
 */
package fluxrelay.hooks;
