package io.dino.gateway.edge.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.gateway.auth.ApiKeys;
import io.dino.gateway.auth.TokenVerifier;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.core.Hub;
import io.dino.gateway.core.Operations;
import io.dino.gateway.engine.Nodes;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.OptionalLong;
import java.util.function.BiFunction;

/**
 * The admin console ({@code dino.admin.enabled}), on the node's HTTP port: a static page from the classpath
 * ({@code dino-admin/}) and a JSON API for operators (docs/admin-api.md). Not registered at all when disabled, so
 * {@code /admin/**} answers 404 then.
 * <pre>
 *   GET  /admin/                          the console (index.html, app.js, style.css)
 *   GET  /admin/api/me                    who the credential is
 *   GET  /admin/api/nodes                 live nodes and their load
 *   GET  /admin/api/sessions              this node's sessions
 *   GET  /admin/api/channels              the channels
 *   GET  /admin/api/rooms?channel=ID      a channel's registered rooms, and the rooms this node holds
 *   GET  /admin/api/rooms/{room}          a room: record, members, bans, mutes
 *   GET  /admin/api/rooms/{room}/history  ?limit=N&amp;before=OFFSET
 *   GET  /admin/api/users/{user}          a user: status, rooms, sessions here, roles, bans
 *   POST /admin/api/actions/{action}      disconnect, kick, ban, unban, mute, unmute, delete
 * </pre>
 */
public final class AdminConsole {

    /** Where the console is served. */
    public static final String PATH = "/admin";
    static final String RESOURCES = "dino-admin";
    private static final io.helidon.http.Header NO_STORE = HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store");
    private static final Logger LOG = System.getLogger(AdminConsole.class.getName());

    private final AdminHttp http;
    private final AdminAuth auth;
    private final AdminViews views;
    private final AdminActions actions;

    public AdminConsole(Operations operations, Hub hub, Nodes nodes, String nodeId, ApiKeys apiKeys, TokenVerifier verifier,
                        ObjectMapper mapper, InstantSource clock) {
        this.http = new AdminHttp(mapper);
        this.auth = new AdminAuth(apiKeys, verifier, operations.tokens());
        this.views = new AdminViews(operations, hub, nodes, nodeId, http);
        this.actions = new AdminActions(operations, http, clock);
    }

    /** Adds the console's routes. */
    public void routing(HttpRouting.Builder routing) {
        Handler toPage = (req, res) -> res.status(Status.MOVED_PERMANENTLY_301).header(HeaderNames.LOCATION, PATH + "/").send();
        routing.any(PATH + "/*", (req, res) -> {
                    // the console is never framed by another site, and runs only its own scripts
                    res.header(HeaderNames.create("X-Frame-Options"), "DENY");
                    res.header(HeaderNames.create("Content-Security-Policy"),
                            "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
                    res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
                    res.next();
                })
                .get(PATH, toPage)
                .get(PATH + "/api/me", api((caller, req) -> views.me(caller)))
                .get(PATH + "/api/nodes", api((caller, req) -> views.nodes()))
                .get(PATH + "/api/sessions", api((caller, req) -> views.sessions()))
                .get(PATH + "/api/channels", api((caller, req) -> views.channels()))
                .get(PATH + "/api/rooms", api((caller, req) -> views.rooms(req.query().first("channel").asOptional())))
                .get(PATH + "/api/rooms/{room}", api((caller, req) -> views.room(param(req, "room"))))
                .get(PATH + "/api/rooms/{room}/history", api((caller, req) -> views.history(param(req, "room"),
                        (int) AdminHttp.queryNumber(req, "limit", 50, 1, AdminViews.MAX_HISTORY),
                        optional(AdminHttp.queryNumber(req, "before", 0, 1, Long.MAX_VALUE)))))
                .get(PATH + "/api/users/{user}", api((caller, req) -> views.user(param(req, "user"))))
                .post(PATH + "/api/actions/{action}", api((caller, req) -> {
                    String action = param(req, "action");
                    JsonNode body = http.body(req);
                    return actions.run(caller, action, body);
                }))
                .any(PATH + "/api/*", (req, res) -> {
                    res.header(NO_STORE);
                    http.error(res, Status.NOT_FOUND_404, new DinoException(ErrorCode.UNKNOWN_COMMAND,
                            "no admin API endpoint " + req.prologue().method().text() + " " + req.path().path()));
                })
                .register(PATH, StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                        .location(RESOURCES)
                        .welcome("index.html")
                        .build()));
    }

    /** An API handler: authenticates, runs, answers its JSON or its error; never caches. */
    private Handler api(BiFunction<AdminAuth.Caller, ServerRequest, JsonNode> call) {
        return (req, res) -> {
            res.header(NO_STORE);
            try {
                AdminAuth.Caller caller = auth.authenticate(req);
                http.send(res, call.apply(caller, req));
            } catch (DinoException e) {
                http.error(res, e);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "admin API call " + req.path().path() + " failed", e);
                http.error(res, new DinoException(ErrorCode.INTERNAL, "internal error"));
            }
        };
    }

    private static String param(ServerRequest req, String name) {
        return req.path().pathParameters().get(name);
    }

    private static OptionalLong optional(long before) {
        return before == 0 ? OptionalLong.empty() : OptionalLong.of(before);
    }
}
