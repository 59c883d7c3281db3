/**
 * The composition root: {@link fluxrelay.RelayServer} loads the configuration, wires every component by
 * plain constructors, and starts and stops the listeners. The only package that imports everything.
 */
package fluxrelay;
