/**
 * Runtime administration of rooms: the operations behind the admin API (create, update, delete, rotate
 * stream names, GO LIVE, kick) and the rooms file that makes them survive restarts.
 *
 * <p>May import {@code rooms}, {@code stream}, {@code media}, {@code bandwidth} (requirements and snapshots),
 * {@code config} (names only) and Jackson; never {@code http}.
 */
package fluxrelay.admin;
