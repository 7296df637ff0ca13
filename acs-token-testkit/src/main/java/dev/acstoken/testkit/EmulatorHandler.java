package dev.acstoken.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Answers every request to the emulator: routes, authentication, api-versions, body validation,
 * faults, the journal and the admin routes. WireMock calls it from its catch-all stub, on many
 * threads at once; all state it touches is thread-safe.
 */
final class EmulatorHandler implements ResponseDefinitionTransformerV2 {

  static final String NAME = "acs-token-emulator";
  static final String SUPPORTED_VERSIONS = String.join(", ", AcsEngine.API_VERSIONS);
  static final int MAX_BODY = 256 * 1024;
  static final DateTimeFormatter EXPIRES_ON =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'+00:00'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] NO_BODY = new byte[0];

  private final AcsEngine engine;
  private final HmacVerifier verifier;
  private final @Nullable Predicate<String> bearerCheck;
  private final Clock wallClock;
  private final FaultRules<Fault> faults;
  private final int journalCapacity;
  private final ArrayDeque<RecordedRequest> journal = new ArrayDeque<>();

  EmulatorHandler(
      AcsEngine engine,
      HmacVerifier verifier,
      @Nullable Predicate<String> bearerCheck,
      Clock wallClock,
      FaultRules<Fault> faults,
      int journalCapacity) {
    this.engine = engine;
    this.verifier = verifier;
    this.bearerCheck = bearerCheck;
    this.wallClock = wallClock;
    this.faults = faults;
    this.journalCapacity = journalCapacity;
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public boolean applyGlobally() {
    return false;
  }

  @Override
  public ResponseDefinition transform(ServeEvent event) {
    try {
      return handle(event.getRequest()).toDefinition();
    } catch (RuntimeException bug) {
      // not bad input (that is a 4xx above) but a defect of the emulator: still an ACS body, and
      // the server keeps serving
      return Answer.error(
              new ServiceError(
                  500,
                  "InternalServerError",
                  "The emulator failed: " + bug.getClass().getSimpleName(),
                  null,
                  null))
          .toDefinition();
    }
  }

  // ---- journal

  List<RecordedRequest> requests() {
    synchronized (journal) {
      return List.copyOf(journal);
    }
  }

  void clearJournal() {
    synchronized (journal) {
      journal.clear();
    }
  }

  private void record(RecordedRequest r) {
    synchronized (journal) {
      if (journal.size() >= journalCapacity) {
        journal.pollFirst();
      }
      journal.addLast(r);
    }
  }

  // ---- the pipeline

  /** A parsed route. */
  private static final class Route {
    final Operation operation;
    final @Nullable String identity;

    Route(Operation operation, @Nullable String identity) {
      this.operation = operation;
      this.identity = identity;
    }
  }

  Answer handle(Request r) {
    long start = System.nanoTime();
    String method = r.getMethod().getName().toUpperCase(Locale.ROOT);
    String raw = r.getUrl();
    int q = raw.indexOf('?');
    String rawPath = q < 0 ? raw : raw.substring(0, q);
    String query = q < 0 ? "" : raw.substring(q + 1);
    String clientRequestId = header(r, "x-ms-client-request-id");
    Route route = null;
    String apiVersion = null;
    Fault fault = null;
    Answer answer;
    boolean admin = false;
    try {
      Map<String, String> params = parseQuery(query);
      apiVersion = params.get("api-version");
      if (rawPath.startsWith("/_emulator/") || rawPath.equals("/_emulator")) {
        admin = true;
        answer = Admin.handle(this, method, rawPath, params, r.getBody());
      } else {
        route = route(method, rawPath);
        fault = faults.next(route.operation, route.identity);
        if (fault != null && fault.kindValue() != Fault.Kind.LATENCY) {
          answer = faultAnswer(fault, route);
        } else {
          answer = serve(r, method, raw, route, apiVersion);
          if (fault != null) {
            answer.delay = fault.delay();
          }
        }
      }
    } catch (ServiceError e) {
      answer = Answer.error(e);
    }
    answer.header("MS-CV", msCv());
    answer.header("X-Processing-Time", ((System.nanoTime() - start) / 1_000_000) + "ms");
    answer.header("api-supported-versions", SUPPORTED_VERSIONS);
    if (clientRequestId != null) {
      answer.header("x-ms-client-request-id", clientRequestId);
    }
    if (admin) {
      // the journal is of the service's traffic; inspection does not inspect itself
      return answer;
    }
    record(
        new RecordedRequest(
            wallClock.instant(),
            method,
            raw,
            route == null ? null : route.operation,
            route == null ? null : route.identity,
            apiVersion,
            clientRequestId,
            answer.reset ? 0 : answer.status,
            answer.errorCode,
            fault == null ? null : fault.toString()));
    return answer;
  }

  private Route route(String method, String rawPath) {
    String path = rawPath;
    // the Java SDK joins an endpoint ending in '/' and a path starting with '/': '//identities'
    while (path.startsWith("//")) {
      path = path.substring(1);
    }
    if (path.equals("/identities") || path.equals("/identities/")) {
      requireMethod(method, "POST");
      return new Route(Operation.CREATE_IDENTITY, null);
    }
    if (path.equals("/teamsUser/:exchangeAccessToken")) {
      requireMethod(method, "POST");
      return new Route(Operation.EXCHANGE_TEAMS_TOKEN, null);
    }
    String prefix = "/identities/";
    if (path.startsWith(prefix)) {
      String rest = path.substring(prefix.length());
      if (rest.endsWith("/:issueAccessToken")) {
        requireMethod(method, "POST");
        return new Route(Operation.ISSUE_TOKEN, decode(strip(rest, "/:issueAccessToken")));
      }
      if (rest.endsWith("/:revokeAccessTokens")) {
        requireMethod(method, "POST");
        return new Route(Operation.REVOKE_TOKENS, decode(strip(rest, "/:revokeAccessTokens")));
      }
      if (!rest.isEmpty() && !rest.contains("/")) {
        requireMethod(method, "DELETE");
        return new Route(Operation.DELETE_IDENTITY, decode(rest));
      }
    }
    throw new ServiceError(404, "NotFound", "The requested resource was not found.", null, null);
  }

  private static String strip(String s, String suffix) {
    return s.substring(0, s.length() - suffix.length());
  }

  private static void requireMethod(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw new ServiceError(
          405,
          "MethodNotAllowed",
          "The requested resource does not support http method '" + method + "'.",
          null,
          null);
    }
  }

  private Answer serve(
      Request r, String method, String raw, Route route, @Nullable String apiVersion) {
    byte[] body = r.getBody() == null ? NO_BODY : r.getBody();
    authenticate(r, method, raw, body);
    if (apiVersion == null || apiVersion.isEmpty()) {
      throw new ServiceError(
          400,
          "MissingApiVersionParameter",
          "The api-version query parameter (?api-version=) is required for all requests.",
          null,
          null);
    }
    if (!AcsEngine.API_VERSIONS.contains(apiVersion)) {
      String uri =
          (r.getScheme() + "://" + r.getHost() + ":" + r.getPort()) + raw.split("\\?", 2)[0];
      throw new ServiceError(
          400,
          "UnsupportedApiVersion",
          "The HTTP resource that matches the request URI '"
              + uri
              + "' does not support the API version '"
              + apiVersion
              + "'.",
          null,
          null);
    }
    if (body.length > MAX_BODY) {
      throw new ServiceError(
          413,
          "RequestEntityTooLarge",
          "The request body is larger than " + MAX_BODY + " bytes.",
          null,
          null);
    }
    engine.countCall(route.operation);
    switch (route.operation) {
      case CREATE_IDENTITY:
        {
          JsonNode json = object(body);
          List<String> scopes = stringList(json, "createTokenWithScopes");
          Integer minutes = integer(json, "expiresInMinutes");
          AcsEngine.Created created = engine.createIdentity(scopes, minutes, apiVersion);
          StringBuilder b =
              new StringBuilder("{\"identity\":{\"id\":")
                  .append(Json.quote(created.identity.value()))
                  .append('}');
          if (created.token != null) {
            b.append(",\"accessToken\":").append(tokenJson(created.token));
          }
          return Answer.json(201, b.append('}').toString());
        }
      case ISSUE_TOKEN:
        {
          JsonNode json = object(body);
          List<String> scopes = stringList(json, "scopes");
          Integer minutes = integer(json, "expiresInMinutes");
          IssuedToken t = engine.issueToken(route.identity, scopes, minutes, apiVersion);
          return Answer.json(200, tokenJson(t));
        }
      case REVOKE_TOKENS:
        engine.revokeTokens(route.identity);
        return Answer.empty(204);
      case DELETE_IDENTITY:
        engine.deleteIdentity(route.identity);
        return Answer.empty(204);
      case EXCHANGE_TEAMS_TOKEN:
        {
          if (body.length == 0) {
            throw ServiceError.validation(
                "The body is either missing or doesn't contain any token.", null);
          }
          JsonNode json = object(body);
          IssuedToken t =
              engine.exchangeTeamsToken(
                  string(json, "token"), string(json, "appId"), string(json, "userId"));
          return Answer.json(200, tokenJson(t));
        }
      default:
        throw new IllegalStateException("unrouted operation " + route.operation);
    }
  }

  private void authenticate(Request r, String method, String raw, byte[] body) {
    String authorization = header(r, "Authorization");
    if (authorization != null
        && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        && bearerCheck != null) {
      if (bearerCheck.test(authorization.substring(7).trim())) {
        return;
      }
      throw denied();
    }
    String why = verifier.check(method, raw, name -> header(r, name), body, wallClock.instant());
    if (why != null) {
      throw denied();
    }
  }

  private static ServiceError denied() {
    // the service says no more than this; the journal and the README say what to check
    return new ServiceError(401, "Denied", "Denied by the resource provider.", null, null);
  }

  private static String tokenJson(IssuedToken t) {
    return "{\"token\":"
        + Json.quote(t.value())
        + ",\"expiresOn\":\""
        + EXPIRES_ON.format(t.expiresAt())
        + "\"}";
  }

  // ---- faults

  private Answer faultAnswer(Fault f, Route route) {
    switch (f.kindValue()) {
      case STATUS:
        {
          Answer a =
              Answer.error(
                  new ServiceError(
                      f.statusCode(), f.code(), f.message(), null, f.retryAfterValue()));
          return a;
        }
      case HTML_OUTAGE:
        {
          Answer a =
              new Answer(
                  503,
                  "text/html",
                  ("<!DOCTYPE html><html><head><title>Service Unavailable"
                          + "</title></head><body><h1>Service Unavailable</h1><p>The service is temporarily "
                          + "unavailable.</p></body></html>")
                      .getBytes(StandardCharsets.UTF_8));
          a.errorCode = "ServiceUnavailable";
          return a;
        }
      case CONNECTION_RESET:
        {
          Answer a = Answer.empty(0);
          a.reset = true;
          return a;
        }
      case MALFORMED_RESPONSE:
        {
          int status = route.operation == Operation.CREATE_IDENTITY ? 201 : 200;
          return new Answer(
              status,
              "application/json; charset=utf-8",
              "{\"token\":\"eyJ0eXAi\",\"expiresOn\":".getBytes(StandardCharsets.UTF_8));
        }
      default:
        throw new IllegalStateException("unknown fault " + f);
    }
  }

  // ---- request parsing

  private static @Nullable String header(Request r, String name) {
    return r.containsHeader(name) ? r.getHeader(name) : null;
  }

  static Map<String, String> parseQuery(String query) {
    Map<String, String> out = new LinkedHashMap<>();
    if (query.isEmpty()) {
      return out;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.putIfAbsent(decode(k.replace('+', ' ')), decode(v.replace('+', ' ')));
    }
    return out;
  }

  /** Percent-decodes a path segment; '+' stays '+'. */
  static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw ServiceError.validation("The request URI is not valid.", null);
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw ServiceError.validation("The request URI is not valid.", null);
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static JsonNode object(byte[] body) {
    if (body.length == 0) {
      return Json.MAPPER.createObjectNode();
    }
    JsonNode node = Json.parse(body);
    if (!node.isObject()) {
      throw typeError("$", "the request body");
    }
    return node;
  }

  private static @Nullable JsonNode field(JsonNode object, String name) {
    // like the service (ASP.NET's web defaults), property names match without regard to case
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static @Nullable List<String> stringList(JsonNode object, String name) {
    JsonNode v = field(object, name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw typeError("$." + name, "a list of scopes");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw typeError("$." + name, "a list of scopes");
      }
      out.add(e.asText());
    }
    return out;
  }

  private static @Nullable Integer integer(JsonNode object, String name) {
    JsonNode v = field(object, name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw typeError("$." + name, "an integer");
    }
    return v.intValue();
  }

  private static @Nullable String string(JsonNode object, String name) {
    JsonNode v = field(object, name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw typeError("$." + name, "a string");
    }
    return v.asText();
  }

  private static ServiceError typeError(String path, String expected) {
    return ServiceError.validation(
        "The JSON value could not be converted to " + expected + ". Path: " + path + ".", path);
  }

  private static String msCv() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return Base64.getEncoder().withoutPadding().encodeToString(b) + ".0";
  }

  AcsEngine engine() {
    return engine;
  }

  FaultRules<Fault> faults() {
    return faults;
  }

  /** An answer under construction. */
  static final class Answer {
    final int status;
    final @Nullable String contentType;
    final byte[] body;
    final Map<String, String> headers = new LinkedHashMap<>();
    @Nullable String errorCode;
    Duration delay = Duration.ZERO;
    boolean reset;

    Answer(int status, @Nullable String contentType, byte[] body) {
      this.status = status;
      this.contentType = contentType;
      this.body = body;
    }

    static Answer json(int status, String json) {
      return new Answer(
          status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
    }

    static Answer empty(int status) {
      return new Answer(status, null, NO_BODY);
    }

    static Answer error(ServiceError e) {
      Answer a =
          new Answer(e.status, "application/json", e.toJson().getBytes(StandardCharsets.UTF_8));
      a.errorCode = e.code;
      if (e.retryAfter != null) {
        long seconds = (e.retryAfter.toMillis() + 999) / 1000;
        a.header("Retry-After", Long.toString(seconds));
      }
      return a;
    }

    Answer header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    ResponseDefinition toDefinition() {
      ResponseDefinitionBuilder b = ResponseDefinitionBuilder.responseDefinition();
      if (reset) {
        return b.withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)
            .build();
      }
      b.withStatus(status);
      if (contentType != null) {
        b.withHeader("Content-Type", contentType);
      }
      for (Map.Entry<String, String> h : headers.entrySet()) {
        b.withHeader(h.getKey(), h.getValue());
      }
      if (body.length > 0) {
        b.withBody(body);
      }
      if (!delay.isZero()) {
        b.withFixedDelay((int) delay.toMillis());
      }
      return b.build();
    }
  }
}
