/**
 * The organisers' console ({@code /console/}) and the attendees' watch page ({@code /watch/{room-id}}): static
 * files served from the jar with a strict Content-Security-Policy, and the public, key-free room state those pages
 * read ({@code /api/public/rooms/{id}} and its server-sent events).
 *
 * <p>May import {@code http} (routes and responses) and {@code config}; the room state comes in as plain maps from
 * the composition root, so this package knows nothing of rooms or the admin operations.
 */
package fluxrelay.web;
