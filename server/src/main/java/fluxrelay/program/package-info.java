/**
 * A room's program: the one hub every viewer of the room's URLs watches, fed by whichever of the room's inputs is on
 * air. A {@link fluxrelay.program.ProgramSwitch} per room reads its input hubs, switches at keyframes (failover,
 * failback, by hand) and publishes into the program hub, so viewers never reconnect. Protocol-neutral.
 */
package fluxrelay.program;
