/**
 * Log lines that a client cannot flood or forge: text from the wire (command, application and stream names,
 * encoder strings, URIs) is truncated and escaped before it reaches a log line ({@link fluxrelay.logging.LogText}),
 * and events a client can repeat at will are logged a few times per connection, then summarised
 * ({@link fluxrelay.logging.LogBudget}). Imports only the JDK; every adapter may use it.
 */
package fluxrelay.logging;
