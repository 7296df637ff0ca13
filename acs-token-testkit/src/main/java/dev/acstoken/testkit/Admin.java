package dev.acstoken.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.acstoken.core.IdentityId;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The emulator's admin routes under {@code /_emulator/}, for clients that are not Java: the JWKS,
 * inspection, reset, fault injection, the clock and token validity. Every route but the JWKS needs
 * the emulator's admin token in the {@code X-Emulator-Admin-Token} header (checked by {@link
 * EmulatorHandler} before it gets here), unless the emulator was started with its routes open.
 */
final class Admin {

  /** The longest single move of the clock over HTTP: a hundred years. */
  static final long MAX_ADVANCE_SECONDS = Duration.ofDays(36_500).toSeconds();

  private Admin() {}

  static EmulatorHandler.Answer handle(
      EmulatorHandler h, String method, String path, Map<String, String> query, byte[] body) {
    AcsEngine engine = h.engine();
    switch (method + " " + path) {
      case "GET /_emulator/jwks":
      case "GET /_emulator/jwks.json":
        return EmulatorHandler.Answer.json(200, engine.signer().jwks());
      case "GET /_emulator/identities":
        return EmulatorHandler.Answer.json(200, identities(engine));
      case "GET /_emulator/requests":
        return EmulatorHandler.Answer.json(200, requests(h.requests()));
      case "POST /_emulator/reset":
        engine.reset();
        h.faults().clear();
        h.clearJournal();
        return EmulatorHandler.Answer.empty(204);
      case "DELETE /_emulator/faults":
        h.faults().clear();
        return EmulatorHandler.Answer.empty(204);
      case "POST /_emulator/faults":
        {
          Fault f = fault(Json.parse(body));
          h.faults()
              .add(
                  f.operation(),
                  f.identity() == null ? null : f.identity().value(),
                  f.timesValue(),
                  f.probability(),
                  f.seed(),
                  f);
          return EmulatorHandler.Answer.json(201, "{\"fault\":" + Json.quote(f.toString()) + "}");
        }
      case "POST /_emulator/clock/advance":
        {
          Clock c = engine.clock();
          if (!(c instanceof MutableClock)) {
            throw new ServiceError(
                409,
                "Conflict",
                "The emulator runs on the system clock; start it with a MutableClock to move time.",
                null,
                null);
          }
          long seconds;
          try {
            seconds = Long.parseLong(query.getOrDefault("seconds", ""));
          } catch (NumberFormatException e) {
            throw ServiceError.validation("seconds: an integer is required.", "seconds");
          }
          // bad input is a 400, never a 500: the clock only moves forward, and not past the
          // largest instant
          if (seconds < 0 || seconds > MAX_ADVANCE_SECONDS) {
            throw ServiceError.validation(
                "seconds: must be within [0, " + MAX_ADVANCE_SECONDS + "]; got " + seconds + ".",
                "seconds");
          }
          try {
            ((MutableClock) c).advance(Duration.ofSeconds(seconds));
          } catch (java.time.DateTimeException | ArithmeticException e) {
            throw ServiceError.validation(
                "seconds: the clock cannot move " + seconds + " s past " + c.instant() + ".",
                "seconds");
          }
          return EmulatorHandler.Answer.json(200, "{\"now\":\"" + c.instant() + "\"}");
        }
      case "POST /_emulator/tokens/validate":
        {
          JsonNode json = Json.parse(body);
          JsonNode token = json.isObject() ? json.get("token") : null;
          if (token == null || !token.isTextual()) {
            throw ServiceError.validation("token: a string is required.", "token");
          }
          return EmulatorHandler.Answer.json(
              200, "{\"valid\":" + engine.isValid(token.asText()) + "}");
        }
      default:
        throw new ServiceError(
            404, "NotFound", "The requested resource was not found.", null, null);
    }
  }

  private static String identities(AcsEngine engine) {
    StringBuilder b = new StringBuilder("{\"identities\":[");
    boolean first = true;
    for (IdentityId id : engine.identities()) {
      first = append(b, first, engine, id, false);
    }
    for (IdentityId id : engine.deletedIdentities()) {
      first = append(b, first, engine, id, true);
    }
    return b.append("]}").toString();
  }

  private static boolean append(
      StringBuilder b, boolean first, AcsEngine engine, IdentityId id, boolean deleted) {
    if (!first) {
      b.append(',');
    }
    b.append("{\"id\":")
        .append(Json.quote(id.value()))
        .append(",\"deleted\":")
        .append(deleted)
        .append(",\"tokensIssued\":")
        .append(engine.issuedTokenCount(id))
        .append(",\"revocations\":")
        .append(engine.revocationCount(id))
        .append('}');
    return false;
  }

  private static String requests(List<RecordedRequest> requests) {
    StringBuilder b = new StringBuilder("{\"requests\":[");
    boolean first = true;
    for (RecordedRequest r : requests) {
      if (!first) {
        b.append(',');
      }
      first = false;
      b.append("{\"receivedAt\":\"")
          .append(r.receivedAt())
          .append("\",\"method\":")
          .append(Json.quote(r.method()))
          .append(",\"pathAndQuery\":")
          .append(Json.quote(r.pathAndQuery()))
          .append(",\"operation\":")
          .append(r.operation().map(o -> Json.quote(o.name())).orElse("null"))
          .append(",\"identity\":")
          .append(r.identity().map(Json::quote).orElse("null"))
          .append(",\"apiVersion\":")
          .append(r.apiVersion().map(Json::quote).orElse("null"))
          .append(",\"clientRequestId\":")
          .append(r.clientRequestId().map(Json::quote).orElse("null"))
          .append(",\"status\":")
          .append(r.status())
          .append(",\"errorCode\":")
          .append(r.errorCode().map(Json::quote).orElse("null"))
          .append(",\"fault\":")
          .append(r.fault().map(Json::quote).orElse("null"))
          .append('}');
    }
    return b.append("]}").toString();
  }

  /**
   * Reads a fault: {@code {"kind":"STATUS","status":429,"code":"...","message":"...",
   * "retryAfterSeconds":1,"latencyMillis":0,"operation":"ISSUE_TOKEN","identity":"8:acs:...",
   * "times":2,"probability":0.5,"seed":1}}.
   */
  private static Fault fault(JsonNode j) {
    if (!j.isObject()) {
      throw ServiceError.validation("A fault is a JSON object.", null);
    }
    try {
      String kind = j.path("kind").asText("STATUS").toUpperCase(java.util.Locale.ROOT);
      Fault f;
      switch (kind) {
        case "STATUS":
          f =
              Fault.status(
                  j.path("status").asInt(500),
                  j.path("code").asText("InternalServerError"),
                  j.path("message").asText("Injected fault."));
          break;
        case "HTML_OUTAGE":
          f = Fault.htmlOutage();
          break;
        case "LATENCY":
          f = Fault.latency(Duration.ofMillis(j.path("latencyMillis").asLong(0)));
          break;
        case "CONNECTION_RESET":
          f = Fault.connectionReset();
          break;
        case "MALFORMED_RESPONSE":
          f = Fault.malformedResponse();
          break;
        default:
          throw ServiceError.validation("Unknown fault kind '" + kind + "'.", "kind");
      }
      if (j.hasNonNull("retryAfterSeconds")) {
        f = f.retryAfter(Duration.ofSeconds(j.get("retryAfterSeconds").asLong()));
      }
      if (j.hasNonNull("operation")) {
        f = f.on(Operation.valueOf(j.get("operation").asText().toUpperCase(java.util.Locale.ROOT)));
      }
      if (j.hasNonNull("identity")) {
        f = f.forIdentity(IdentityId.of(j.get("identity").asText()));
      }
      if (j.hasNonNull("probability")) {
        f = f.withProbability(j.get("probability").asDouble(), j.path("seed").asLong(1));
      } else if (j.path("always").asBoolean(false)) {
        f = f.always();
      } else if (j.hasNonNull("times")) {
        f = f.times(j.get("times").asInt());
      }
      return f;
    } catch (IllegalArgumentException e) {
      throw ServiceError.validation("Invalid fault: " + e.getMessage(), null);
    }
  }
}
