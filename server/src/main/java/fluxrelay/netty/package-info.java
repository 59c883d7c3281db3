/**
 * Netty plumbing both listeners share: connection accounting (and, later, connection limits).
 *
 * <p>May import Netty only.
 */
package fluxrelay.netty;
