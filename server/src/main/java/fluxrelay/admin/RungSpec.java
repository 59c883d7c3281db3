package fluxrelay.admin;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One rung of a room's server-side ladder, as an operator writes it (API and rooms file), with the config file's
 * {@code ladder} rules ({@link RenditionFields#ladder}).
 *
 * @param id the rendition's id: the input id rule, distinct from the room's renditions' ids
 * @param height picture height in lines: even, 64 to 4320
 * @param videoKbps the H.264 rate, 50 to 50000 kbit/s
 * @param audioKbps the AAC rate, 16 to 512 kbit/s (null: 96)
 */
public record RungSpec(String id, Integer height, Integer videoKbps,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Integer audioKbps) {
}
