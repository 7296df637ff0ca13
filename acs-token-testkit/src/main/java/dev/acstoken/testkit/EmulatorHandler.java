package dev.acstoken.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.acstoken.testkit.EmulatorServer.Request;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Answers every request to the emulator: routes, authentication, api-versions, body validation,
 * faults, the journal and the admin routes. {@link EmulatorServer} calls it for each request it has
 * read whole, on many threads at once; all state it touches is thread-safe.
 */
final class EmulatorHandler implements EmulatorServer.Handler {

  /** The header that carries the admin token to the {@code /_emulator/} control routes. */
  static final String ADMIN_TOKEN_HEADER = "X-Emulator-Admin-Token";

  /** The journal's bound in (estimated) bytes; entries beyond it are dropped oldest first. */
  static final long JOURNAL_MAX_BYTES = 4L * 1024 * 1024;

  /** The longest path and query the journal keeps of an authenticated request. */
  static final int JOURNAL_MAX_PATH = 2048;

  /** The longest path and query the journal keeps of a request that was not authenticated. */
  static final int JOURNAL_MAX_UNAUTHENTICATED_PATH = 256;

  static final String SUPPORTED_VERSIONS = String.join(", ", AcsEngine.API_VERSIONS);

  /** The largest request body; {@link EmulatorServer} refuses a larger one before reading it. */
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
  private final @Nullable String adminToken;
  // by arrival sequence, so that the journal lists requests in the order they arrived, whatever
  // the order they were answered in
  private final NavigableMap<Long, RecordedRequest> journal = new TreeMap<>();
  private long journalBytes;

  EmulatorHandler(
      AcsEngine engine,
      HmacVerifier verifier,
      @Nullable Predicate<String> bearerCheck,
      Clock wallClock,
      FaultRules<Fault> faults,
      int journalCapacity,
      @Nullable String adminToken) {
    this.engine = engine;
    this.verifier = verifier;
    this.bearerCheck = bearerCheck;
    this.wallClock = wallClock;
    this.faults = faults;
    this.journalCapacity = journalCapacity;
    this.adminToken = adminToken;
  }

  @Override
  public Answer handle(Request request) {
    try {
      return answer(request);
    } catch (RuntimeException bug) {
      // not bad input (that is a 4xx above) but a defect of the emulator: still an ACS body, and
      // the server keeps serving
      return Answer.error(
          new ServiceError(
              500,
              "InternalServerError",
              "The emulator failed: " + bug.getClass().getSimpleName(),
              null,
              null));
    }
  }

  @Override
  public Answer refuse(
      long sequence,
      Instant receivedAt,
      @Nullable String method,
      @Nullable String target,
      ServiceError error) {
    Answer answer = Answer.error(error);
    answer.header("MS-CV", msCv());
    record(
        sequence,
        new RecordedRequest(
            receivedAt,
            method == null ? "" : truncate(method, 16),
            target == null ? "" : truncate(target, JOURNAL_MAX_UNAUTHENTICATED_PATH),
            null,
            null,
            null,
            null,
            answer.status,
            answer.errorCode,
            null));
    return answer;
  }

  // ---- journal

  List<RecordedRequest> requests() {
    synchronized (journal) {
      return List.copyOf(journal.values());
    }
  }

  void clearJournal() {
    synchronized (journal) {
      journal.clear();
      journalBytes = 0;
    }
  }

  private void record(long sequence, RecordedRequest r) {
    synchronized (journal) {
      journal.put(sequence, r);
      journalBytes += r.estimatedBytes();
      while (journal.size() > journalCapacity || journalBytes > JOURNAL_MAX_BYTES) {
        journalBytes -= journal.pollFirstEntry().getValue().estimatedBytes();
      }
    }
  }

  private static @Nullable String truncate(@Nullable String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    return s.substring(0, max) + "...(truncated)";
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

  private Answer answer(Request r) {
    long start = System.nanoTime();
    String method = r.method.toUpperCase(Locale.ROOT);
    String raw = r.target;
    int q = raw.indexOf('?');
    String rawPath = q < 0 ? raw : raw.substring(0, q);
    String query = q < 0 ? "" : raw.substring(q + 1);
    String clientRequestId = r.header("x-ms-client-request-id");
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
        requireAdmin(r, method, rawPath);
        answer = Admin.handle(this, method, rawPath, params, r.body);
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
    boolean teamsError =
        route != null && route.operation == Operation.EXCHANGE_TEAMS_TOKEN && answer.status >= 400;
    if (!teamsError) {
      // the service's Teams exchange errors come without it
      answer.header("api-supported-versions", SUPPORTED_VERSIONS);
    }
    if (clientRequestId != null) {
      answer.header("x-ms-client-request-id", truncate(clientRequestId, 256));
    }
    if (admin) {
      // the journal is of the service's traffic; inspection does not inspect itself
      return answer;
    }
    boolean authenticated = !"Denied".equals(answer.errorCode);
    record(
        r.sequence,
        new RecordedRequest(
            r.receivedAt,
            method.length() > 16 ? truncate(method, 16) : method,
            truncate(raw, authenticated ? JOURNAL_MAX_PATH : JOURNAL_MAX_UNAUTHENTICATED_PATH),
            route == null ? null : route.operation,
            route == null ? null : truncate(route.identity, 256),
            truncate(apiVersion, 64),
            truncate(clientRequestId, 256),
            answer.reset ? 0 : answer.status,
            answer.errorCode,
            fault == null ? null : fault.toString()));
    return answer;
  }

  private void requireAdmin(Request r, String method, String rawPath) {
    if (adminToken == null
        || (method.equals("GET")
            && (rawPath.equals("/_emulator/jwks") || rawPath.equals("/_emulator/jwks.json")))) {
      return; // open by choice, or the public key
    }
    String given = r.header(ADMIN_TOKEN_HEADER);
    if (given == null
        || !MessageDigest.isEqual(
            given.getBytes(StandardCharsets.UTF_8), adminToken.getBytes(StandardCharsets.UTF_8))) {
      throw new ServiceError(
          401,
          "Denied",
          "The emulator's control routes need the admin token in the "
              + ADMIN_TOKEN_HEADER
              + " header.",
          null,
          null);
    }
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
    byte[] body = r.body;
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
      String host = r.header("Host");
      String uri =
          (r.tls ? "https" : "http")
              + "://"
              + (host == null ? "127.0.0.1" : HmacVerifier.stripPort(host))
              + ":"
              + r.localPort
              + raw.split("\\?", 2)[0];
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
    String authorization = r.header("Authorization");
    if (authorization != null
        && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        && bearerCheck != null) {
      if (bearerCheck.test(authorization.substring(7).trim())) {
        return;
      }
      throw denied();
    }
    String why = verifier.check(method, raw, r::header, body, wallClock.instant(), r.localPort);
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

    Answer header(String name, @Nullable String value) {
      if (value != null) {
        headers.put(name, value);
      }
      return this;
    }
  }
}
