package fluxrelay.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import fluxrelay.admin.AccessAdmin;
import fluxrelay.admin.AdminException;
import fluxrelay.admin.InputSpec;
import fluxrelay.admin.RoomAdmin;
import fluxrelay.admin.RoomInputs;
import fluxrelay.admin.RoomSpec;
import fluxrelay.admin.RoomRenditions;
import fluxrelay.admin.RenditionSpec;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms admin API under {@code /api/rooms}: JSON in and out, a bearer token compared in constant
 * time (with no token configured, only loopback clients are served), 400 naming the field, 404 for
 * unknown rooms, 409 for conflicts. Before the token is looked at, {@link AdminAccess} refuses what a browser
 * could be tricked into sending (foreign {@code Host} 421, foreign {@code Origin} 403, writes without a JSON
 * content type 415), and a client address with too many wrong tokens gets 429 until it may try again.
 *
 * <pre>
 * GET    /api/rooms                          list with live state
 * POST   /api/rooms                          create {id, title, app, streamName?, autoLive?}
 * GET    /api/rooms/{id}                     one room
 * PATCH  /api/rooms/{id}                     change {title?, app?, autoLive?, renditions?, ladder?, ...};
 *                                            failoverAfter, failbackAfter, failback, recordStart or dvrWindow given
 *                                            as null follow the server's default again, renditions or ladder as
 *                                            null are emptied
 * DELETE /api/rooms/{id}                     delete (ends the publisher, tells viewers)
 * POST   /api/rooms/{id}/stream-name         rotate the main input's {streamName?} (generated when absent)
 * GET    /api/rooms/{id}/inputs              the room's inputs
 * POST   /api/rooms/{id}/inputs              add {id, streamName?, role?} (201)
 * DELETE /api/rooms/{id}/inputs/{input}      remove an input other than the main one (ends its publisher)
 * POST   /api/rooms/{id}/inputs/{input}/stream-name  rotate that input's {streamName?}
 * GET    /api/rooms/{id}/renditions          the stream names bound as renditions of the room's program
 * POST   /api/rooms/{id}/renditions          bind {id, streamName?} (201)
 * DELETE /api/rooms/{id}/renditions/{rendition}  unbind a rendition (ends its publisher)
 * POST   /api/rooms/{id}/renditions/{rendition}/stream-name  rotate that rendition's {streamName?}
 * POST   /api/rooms/{id}/live                GO LIVE (show to all)
 * DELETE /api/rooms/{id}/live                stop showing
 * DELETE /api/rooms/{id}/publisher           kick the publisher
 * GET    /api/rooms/{id}/events              recent events, newest first
 * GET    /api/rooms/{id}/viewers             viewers
 * DELETE /api/rooms/{id}/viewers/{viewerId}  kick a viewer
 * GET    /api/cluster/nodes                  the cluster's live nodes (404 when clustering is off)
 * GET    /api/access/revocations             revoked attendees
 * POST   /api/access/revocations             revoke {attendee, until?}: refused from now on, RTMP/HTTP-FLV viewers disconnected
 * DELETE /api/access/revocations/{attendee}  lift a revocation
 * GET    /api/recordings, /api/rooms/{id}/recordings, /api/recordings/{id}[/file|/replay], DELETE /api/recordings/{id}
 *                                            recordings, when recording is set up ({@link RecordingsApi})
 * </pre>
 *
 * <p>503 says the room store cannot be reached (a cluster's Redis): the change was not made.
 */
public final class AdminRoute implements HttpRoute {

    private static final Logger log = LoggerFactory.getLogger(AdminRoute.class);
    private static final String PREFIX = "/api/rooms";
    private static final String CLUSTER_NODES = "/api/cluster/nodes";
    private static final String REVOCATIONS = "/api/access/revocations";

    private final RoomAdmin admin;
    private final byte[] token;
    private final AdminAccess access;
    private final AdminRateLimiter limiter;
    private final AdminRateLimiter failures;
    private final Supplier<CompletableFuture<?>> clusterNodes;
    private final AccessAdmin accessAdmin;
    private final RecordingsApi recordings;
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * @param admin the operations
     * @param token bearer token, empty for loopback-only access
     * @param access which host names and origins are answered
     * @param limiter requests per client address
     * @param failures wrong or missing tokens per client address
     */
    public AdminRoute(RoomAdmin admin, String token, AdminAccess access, AdminRateLimiter limiter, AdminRateLimiter failures) {
        this(admin, token, access, limiter, failures, null);
    }

    /**
     * @param admin the operations
     * @param token bearer token, empty for loopback-only access
     * @param access which host names and origins are answered
     * @param limiter requests per client address
     * @param failures wrong or missing tokens per client address
     * @param clusterNodes the cluster's live nodes as a JSON-able value, or null when clustering is off
     */
    public AdminRoute(RoomAdmin admin, String token, AdminAccess access, AdminRateLimiter limiter, AdminRateLimiter failures,
                      Supplier<CompletableFuture<?>> clusterNodes) {
        this(admin, token, access, limiter, failures, clusterNodes, null);
    }

    /**
     * As the constructor above, with attendee revocations served when {@code accessAdmin} is not null (404 otherwise).
     */
    public AdminRoute(RoomAdmin admin, String token, AdminAccess access, AdminRateLimiter limiter, AdminRateLimiter failures,
                      Supplier<CompletableFuture<?>> clusterNodes, AccessAdmin accessAdmin) {
        this(admin, token, access, limiter, failures, clusterNodes, accessAdmin, null);
    }

    /** As the constructor above, with the recordings served when {@code recordings} is not null. */
    public AdminRoute(RoomAdmin admin, String token, AdminAccess access, AdminRateLimiter limiter, AdminRateLimiter failures,
                      Supplier<CompletableFuture<?>> clusterNodes, AccessAdmin accessAdmin, RecordingsApi recordings) {
        this.recordings = recordings;
        this.accessAdmin = accessAdmin;
        this.clusterNodes = clusterNodes;
        this.admin = admin;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.access = access;
        this.limiter = limiter;
        this.failures = failures;
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        boolean nodes = path.equals(CLUSTER_NODES);
        boolean revocations = path.equals(REVOCATIONS) || path.startsWith(REVOCATIONS + "/");
        boolean recorded = recordings != null && RecordingsApi.handles(path);
        if (!nodes && !revocations && !recorded && !path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) {
            return false;
        }
        String refused = access.refusedHost(request.headers());
        if (refused != null) {
            log.warn("{}: admin request refused: {}", ctx.channel().remoteAddress(), refused);
            HttpResponses.error(ctx, request, HttpResponseStatus.MISDIRECTED_REQUEST, refused);
            return true;
        }
        refused = access.refusedOrigin(request.headers());
        if (refused != null) {
            log.warn("{}: admin request refused: {}", ctx.channel().remoteAddress(), refused);
            HttpResponses.error(ctx, request, HttpResponseStatus.FORBIDDEN, refused);
            return true;
        }
        if (!authorised(ctx, request)) {
            return true;
        }
        if (!limiter.tryAcquire(ctx.channel().remoteAddress())) {
            tooMany(ctx, request, limiter.waitSeconds(ctx.channel().remoteAddress()), "Too many admin requests: slow down.");
            return true;
        }
        refused = AdminAccess.refusedContentType(request.method(), request.headers());
        if (refused != null) {
            HttpResponses.error(ctx, request, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, refused);
            return true;
        }
        if (nodes) {
            if (!HttpMethod.GET.equals(request.method())) {
                notAllowed(ctx, request);
            } else if (clusterNodes == null) {
                fail(ctx, request, new AdminException(404, null, "clustering is off"));
            } else {
                reply(ctx, request, HttpResponseStatus.OK, clusterNodes.get());
            }
            return true;
        }
        try {
            if (recorded) {
                CompletableFuture<?> answer = recordings.handle(ctx, request, path);
                if (answer != null) {
                    reply(ctx, request, HttpResponseStatus.OK, answer);
                }
            } else if (revocations) {
                revocations(ctx, request, path.substring(REVOCATIONS.length()));
            } else {
                route(ctx, request, path.substring(PREFIX.length()).split("/"));
            }
        } catch (AdminException e) {
            fail(ctx, request, e);
        }
        return true;
    }

    private boolean authorised(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (token.length == 0) {
            if (isLoopback(ctx)) {
                return true;
            }
            log.warn("{}: admin request refused: no token configured, loopback only", ctx.channel().remoteAddress());
            HttpResponses.error(ctx, request, HttpResponseStatus.FORBIDDEN,
                    "The admin API is only served to loopback clients when no token is configured.");
            return false;
        }
        long wait = failures.waitSeconds(ctx.channel().remoteAddress());
        if (wait > 0) {
            tooMany(ctx, request, wait, "Too many wrong admin tokens from this address: try again later.");
            return false;
        }
        byte[] given = bearer(request.headers().get(HttpHeaderNames.AUTHORIZATION, "")).getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(given, token)) {
            return true;
        }
        failures.tryAcquire(ctx.channel().remoteAddress());
        log.warn("{}: admin request refused: {}", ctx.channel().remoteAddress(), given.length == 0 ? "no token" : "wrong token");
        HttpResponses.error(ctx, request, HttpResponseStatus.UNAUTHORIZED, "A valid bearer token is required.");
        return false;
    }

    /** The credentials of a {@code Bearer} authorization (the scheme is case-insensitive, RFC 7235 2.1), or "". */
    static String bearer(String header) {
        String value = header.strip();
        int space = value.indexOf(' ');
        return space > 0 && value.substring(0, space).equalsIgnoreCase("Bearer") ? value.substring(space + 1).strip() : "";
    }

    private static void tooMany(ChannelHandlerContext ctx, FullHttpRequest request, long waitSeconds, String message) {
        HttpResponses.error(ctx, request, HttpResponseStatus.TOO_MANY_REQUESTS, message, HttpHeaderNames.RETRY_AFTER,
                Long.toString(Math.max(1, waitSeconds)));
    }

    /** Who asked, for the admin log lines: the client's IP address. */
    private static String caller(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress address && address.getAddress() != null
                ? address.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
    }

    private static boolean isLoopback(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress address && address.getAddress() != null
                && address.getAddress().isLoopbackAddress();
    }

    /** {@code parts[0]} is empty (the path after the prefix starts with '/'), then id and sub-resources. */
    private void route(ChannelHandlerContext ctx, FullHttpRequest request, String[] parts) {
        HttpMethod method = request.method();
        if (parts.length <= 1) {
            if (HttpMethod.GET.equals(method)) {
                reply(ctx, request, HttpResponseStatus.OK, admin.listLocated().thenApply(rooms -> Map.of("rooms", rooms)));
            } else if (HttpMethod.POST.equals(method)) {
                reply(ctx, request, HttpResponseStatus.CREATED, admin.create(body(request, RoomSpec.class), caller(ctx)));
            } else {
                notAllowed(ctx, request);
            }
            return;
        }
        String id = parts[1];
        if (parts.length == 2) {
            if (HttpMethod.GET.equals(method)) {
                reply(ctx, request, HttpResponseStatus.OK, admin.getLocated(id));
            } else if (HttpMethod.PATCH.equals(method) || HttpMethod.PUT.equals(method)) {
                RoomSpec patch = body(request, RoomSpec.class);
                reply(ctx, request, HttpResponseStatus.OK, admin.update(id, patch, resetFields(request), caller(ctx)));
            } else if (HttpMethod.DELETE.equals(method)) {
                reply(ctx, request, HttpResponseStatus.OK, admin.delete(id, caller(ctx)).thenApply(v -> Map.of("deleted", id)));
            } else {
                notAllowed(ctx, request);
            }
            return;
        }
        String sub = parts[2];
        if (parts.length == 3 && sub.equals("stream-name") && HttpMethod.POST.equals(method)) {
            String requested = request.content().isReadable() ? body(request, RotateRequest.class).streamName() : null;
            reply(ctx, request, HttpResponseStatus.OK, admin.rotateStreamName(id, requested, caller(ctx)));
        } else if (sub.equals("inputs") && parts.length <= 5) {
            inputs(ctx, request, id, parts);
        } else if (sub.equals("renditions") && parts.length <= 5) {
            renditions(ctx, request, id, parts);
        } else if (parts.length == 3 && sub.equals("live") && (HttpMethod.POST.equals(method) || HttpMethod.DELETE.equals(method))) {
            ok(ctx, request, HttpResponseStatus.OK, admin.setLive(id, HttpMethod.POST.equals(method), caller(ctx)));
        } else if (parts.length == 3 && sub.equals("program") && HttpMethod.POST.equals(method)) {
            CompletableFuture<RoomAdmin.ProgramAnswer> answer = admin.switchProgram(id, body(request, ProgramRequest.class).input(),
                    caller(ctx));
            answer.whenComplete((value, error) -> ctx.executor().execute(() -> {
                if (error == null) {
                    ok(ctx, request, HttpResponseStatus.valueOf(value.status()), value.body());
                } else {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    fail(ctx, request, cause instanceof AdminException admin ? admin : new AdminException(500, null, cause.toString()));
                }
            }));
        } else if (parts.length == 3 && sub.equals("publisher") && HttpMethod.DELETE.equals(method)) {
            ok(ctx, request, HttpResponseStatus.OK, Map.of("kicked", admin.kickPublisher(id, caller(ctx))));
        } else if (parts.length == 3 && sub.equals("events") && HttpMethod.GET.equals(method)) {
            ok(ctx, request, HttpResponseStatus.OK, Map.of("events", admin.events(id)));
        } else if (parts.length == 3 && sub.equals("viewers") && HttpMethod.GET.equals(method)) {
            ok(ctx, request, HttpResponseStatus.OK, Map.of("viewers", admin.viewers(id)));
        } else if (parts.length == 4 && sub.equals("viewers") && HttpMethod.DELETE.equals(method)) {
            long viewerId;
            try {
                viewerId = Long.parseLong(parts[3]);
            } catch (NumberFormatException e) {
                throw new AdminException(400, "viewerId", "viewer id must be a number");
            }
            admin.kickViewer(id, viewerId, caller(ctx));
            ok(ctx, request, HttpResponseStatus.OK, Map.of("kicked", viewerId));
        } else {
            HttpResponses.error(ctx, request, HttpResponseStatus.NOT_FOUND, "No such admin resource.");
        }
    }

    /** {@code parts} as for {@link #route}, with {@code parts[2]} "inputs". */
    private void inputs(ChannelHandlerContext ctx, FullHttpRequest request, String id, String[] parts) {
        HttpMethod method = request.method();
        RoomInputs inputs = admin.inputs();
        if (parts.length == 3 && HttpMethod.GET.equals(method)) {
            ok(ctx, request, HttpResponseStatus.OK, Map.of("inputs", inputs.list(id)));
        } else if (parts.length == 3 && HttpMethod.POST.equals(method)) {
            reply(ctx, request, HttpResponseStatus.CREATED, inputs.add(id, body(request, InputSpec.class), caller(ctx)));
        } else if (parts.length == 4 && HttpMethod.DELETE.equals(method)) {
            reply(ctx, request, HttpResponseStatus.OK, inputs.remove(id, parts[3], caller(ctx)));
        } else if (parts.length == 5 && parts[4].equals("stream-name") && HttpMethod.POST.equals(method)) {
            String requested = request.content().isReadable() ? body(request, RotateRequest.class).streamName() : null;
            reply(ctx, request, HttpResponseStatus.OK, inputs.rotate(id, parts[3], requested, caller(ctx)));
        } else if (parts.length == 5) {
            HttpResponses.error(ctx, request, HttpResponseStatus.NOT_FOUND, "No such admin resource.");
        } else {
            notAllowed(ctx, request);
        }
    }

    /** {@code parts} as for {@link #route}, with {@code parts[2]} "renditions"; shaped as {@link #inputs}. */
    private void renditions(ChannelHandlerContext ctx, FullHttpRequest request, String id, String[] parts) {
        HttpMethod method = request.method();
        RoomRenditions renditions = admin.renditions();
        if (parts.length == 3 && HttpMethod.GET.equals(method)) {
            ok(ctx, request, HttpResponseStatus.OK, Map.of("renditions", renditions.list(id)));
        } else if (parts.length == 3 && HttpMethod.POST.equals(method)) {
            reply(ctx, request, HttpResponseStatus.CREATED, renditions.add(id, body(request, RenditionSpec.class), caller(ctx)));
        } else if (parts.length == 4 && HttpMethod.DELETE.equals(method)) {
            reply(ctx, request, HttpResponseStatus.OK, renditions.remove(id, parts[3], caller(ctx)));
        } else if (parts.length == 5 && parts[4].equals("stream-name") && HttpMethod.POST.equals(method)) {
            String requested = request.content().isReadable() ? body(request, RotateRequest.class).streamName() : null;
            reply(ctx, request, HttpResponseStatus.OK, renditions.rotate(id, parts[3], requested, caller(ctx)));
        } else if (parts.length == 5) {
            HttpResponses.error(ctx, request, HttpResponseStatus.NOT_FOUND, "No such admin resource.");
        } else {
            notAllowed(ctx, request);
        }
    }

    /** {@code rest} is what follows the revocations path (decoded by the router): "" or "/{attendee}". */
    private void revocations(ChannelHandlerContext ctx, FullHttpRequest request, String rest) {
        HttpMethod method = request.method();
        if (accessAdmin == null) {
            throw new AdminException(404, null, "viewer access tokens are not set up on this server");
        }
        if (rest.isEmpty() && HttpMethod.GET.equals(method)) {
            ok(ctx, request, HttpResponseStatus.OK, accessAdmin.list());
        } else if (rest.isEmpty() && HttpMethod.POST.equals(method)) {
            RevokeRequest revoke = body(request, RevokeRequest.class);
            reply(ctx, request, HttpResponseStatus.OK, accessAdmin.revoke(revoke.attendee(), revoke.until(), caller(ctx)));
        } else if (rest.length() > 1 && rest.indexOf('/', 1) < 0 && HttpMethod.DELETE.equals(method)) {
            reply(ctx, request, HttpResponseStatus.OK, accessAdmin.restore(rest.substring(1), caller(ctx)));
        } else if (rest.isEmpty() || rest.indexOf('/', 1) < 0) {
            notAllowed(ctx, request);
        } else {
            HttpResponses.error(ctx, request, HttpResponseStatus.NOT_FOUND, "No such admin resource.");
        }
    }

    /**
     * The body of a revocation: the attendee id the platform signed into its tokens and, optionally, when the last of
     * them expires (Unix seconds): how long a cluster keeps the revocation.
     */
    record RevokeRequest(String attendee, Long until) {
    }

    /** The body of a manual program switch: the input to put on air. */
    record ProgramRequest(String input) {
    }

    /** The body for a rotation: an optional new stream name. */
    record RotateRequest(String streamName) {
    }

    /**
     * The settings a room PATCH gives as {@code null} ({@link RoomAdmin#RESETTABLE}), to follow the server's default
     * again (other fields given as null stay as they are, as when absent). Called once the body parsed as a
     * {@link RoomSpec}.
     */
    private Set<String> resetFields(FullHttpRequest request) {
        try {
            JsonNode tree = json.readTree(request.content().toString(StandardCharsets.UTF_8));
            Set<String> reset = new HashSet<>();
            tree.fields().forEachRemaining(field -> {
                if (field.getValue().isNull() && RoomAdmin.RESETTABLE.contains(field.getKey())) {
                    reset.add(field.getKey());
                }
            });
            return reset;
        } catch (JsonProcessingException e) {
            throw new AdminException(400, null, "malformed JSON: " + e.getOriginalMessage());
        }
    }

    private <T> T body(FullHttpRequest request, Class<T> type) {
        if (!request.content().isReadable()) {
            throw new AdminException(400, null, "a JSON body is required");
        }
        try {
            return json.readValue(request.content().toString(StandardCharsets.UTF_8), type);
        } catch (UnrecognizedPropertyException e) {
            throw new AdminException(400, e.getPropertyName(), "unknown field '" + e.getPropertyName() + "'");
        } catch (JsonMappingException e) {
            String field = e.getPath().isEmpty() ? null : e.getPath().get(e.getPath().size() - 1).getFieldName();
            throw new AdminException(400, field, field == null ? "the body must be a JSON object" : "field '" + field + "' has the wrong type");
        } catch (JsonProcessingException e) {
            throw new AdminException(400, null, "malformed JSON: " + e.getOriginalMessage());
        }
    }

    private void reply(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, CompletableFuture<?> result) {
        result.whenComplete((value, error) -> ctx.executor().execute(() -> {
            if (error == null) {
                ok(ctx, request, status, value);
            } else {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (cause instanceof AdminException admin) {
                    fail(ctx, request, admin);
                } else {
                    log.error("admin: request failed: {}", cause.toString());
                    HttpResponses.error(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                            "The change could not be saved: " + cause.getMessage());
                }
            }
        }));
    }

    private void ok(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, Object value) {
        try {
            HttpResponses.json(ctx, request, status, json.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            HttpResponses.error(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR, "cannot encode the response");
        }
    }

    private void fail(ChannelHandlerContext ctx, FullHttpRequest request, AdminException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        if (e.field() != null) {
            body.put("field", e.field());
        }
        ok(ctx, request, HttpResponseStatus.valueOf(e.status()), body);
    }

    private static void notAllowed(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpResponses.error(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "Method not allowed here.");
    }
}
