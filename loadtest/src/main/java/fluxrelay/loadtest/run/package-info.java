/**
 * A load run: the plan parsed from the command line, the fleet of event loops and simulated clients,
 * and the ladder of steps (ramp, settle, measurement window, verdict) that produces the report rows.
 */
package fluxrelay.loadtest.run;
