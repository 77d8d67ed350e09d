package io.dino.gateway.edge.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.gateway.auth.TokenMinter;
import io.dino.gateway.config.GatewayConfig;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;

import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo chat page ({@code dino.demo.enabled}): static files from the classpath ({@code dino-demo/}: the page,
 * and under {@code sdk/} the JS SDK's sources, copied there by the build), a settings document the page reads
 * first, the development token endpoint ({@link DevTokenEndpoint}), and a redirect from {@code /}.
 * <pre>
 *   GET  /                      302 to /demo/ (HEAD too)
 *   GET  /demo/                 index.html (and app.js, style.css, sdk/*.js)
 *   GET  /demo/settings.json    {"wsPath": "/ws", "tokenEndpoint": "/demo/token", "devTokens": true}
 *   POST /demo/token            see DevTokenEndpoint
 * </pre>
 */
public final class DemoPage {

    /** Where the page is served. */
    public static final String PATH = "/demo";
    /** The classpath folder of the page's files. */
    static final String RESOURCES = "dino-demo";

    private final DevTokenEndpoint tokens;
    private final String settingsJson;

    public DemoPage(GatewayConfig config, ObjectMapper mapper, InstantSource clock) {
        this.tokens = new DevTokenEndpoint(new TokenMinter(config.auth(), clock), config.devMode(),
                config.auth().tokenTtl(), mapper);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("wsPath", config.wsPath());
        settings.put("tokenEndpoint", PATH + "/token");
        settings.put("devTokens", tokens.mints());
        try {
            this.settingsJson = mapper.writeValueAsString(settings);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Whether the token endpoint mints tokens here (else it answers 403). */
    public boolean mintsTokens() {
        return tokens.mints();
    }

    /** Adds the page's routes. */
    public void routing(HttpRouting.Builder http) {
        Handler toPage = (req, res) -> res.status(Status.FOUND_302).header(HeaderNames.LOCATION, PATH + "/").send();
        http.get("/", toPage)
                .head("/", toPage)
                .get(PATH + "/settings.json", (req, res) -> {
                    res.header(HeaderValues.CONTENT_TYPE_JSON);
                    res.header(HeaderValues.CACHE_NO_CACHE);
                    res.send(settingsJson);
                })
                .post(PATH + "/token", tokens)
                .register(PATH, StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                        .location(RESOURCES)
                        .welcome("index.html")
                        .build()));
    }
}
