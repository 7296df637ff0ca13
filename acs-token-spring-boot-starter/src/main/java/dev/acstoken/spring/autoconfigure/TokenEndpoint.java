package dev.acstoken.spring.autoconfigure;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityDirectory;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.error.AcsException;
import dev.acstoken.core.error.ThrottledException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.HttpRequestHandler;

/**
 * {@code POST /acs/token}: the authenticated user's ACS identity (from the directory, created on
 * first use) and a token for it (from the {@link TokenProvider}, the cache), as {@code
 * {"communicationUserId":"8:acs:...","token":"...","expiresOn":"2026-12-05T10:00:00Z"}}.
 *
 * <p>The user is the request's {@link Principal} ({@code HttpServletRequest.getUserPrincipal()},
 * set by Spring Security or any other authentication): its name is the app user id. Answers:
 *
 * <ul>
 *   <li>401 {@code {"error":"unauthorized",...}} without a principal;
 *   <li>400 {@code invalid_user_id} when the principal's name is not a valid app user id;
 *   <li>405 for another method than POST;
 *   <li>429 {@code rate_limited} with {@code Retry-After} (seconds) past the user's rate limit;
 *   <li>503 (with {@code Retry-After} when ACS gave one) when ACS or the store fails but a retry
 *       may succeed, 502 when ACS refuses.
 * </ul>
 *
 * <p>The body is written here, not by a message converter, so that no framework logs it at DEBUG:
 * the token appears in no log line, and app user ids in none either (this class does not log).
 * Thread-safe.
 */
final class TokenEndpoint implements HttpRequestHandler {

  private final IdentityDirectory directory;
  private final TokenProvider tokens;
  private final TokenSpec spec;
  private final PerUserRateLimiter limiter;

  TokenEndpoint(
      IdentityDirectory directory,
      TokenProvider tokens,
      TokenSpec spec,
      PerUserRateLimiter limiter) {
    this.directory = directory;
    this.tokens = tokens;
    this.spec = spec;
    this.limiter = limiter;
  }

  @Override
  public void handleRequest(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!"POST".equals(request.getMethod())) {
      response.setHeader("Allow", "POST");
      error(response, 405, "method_not_allowed", "use POST", null);
      return;
    }
    Principal principal = request.getUserPrincipal();
    String user = principal == null ? null : principal.getName();
    if (user == null || user.isEmpty()) {
      error(
          response,
          401,
          "unauthorized",
          "sign in first: this endpoint serves tokens to the authenticated user",
          null);
      return;
    }
    try {
      IdentityDirectory.checkAppUserId(user);
    } catch (IllegalArgumentException e) {
      // the message names the position and code of the bad character, never the id
      error(response, 400, "invalid_user_id", String.valueOf(e.getMessage()), null);
      return;
    }
    Duration wait = limiter.acquire(user);
    if (!wait.isZero()) {
      error(response, 429, "rate_limited", "too many token requests; retry later", wait);
      return;
    }
    IdentityId identity;
    AccessToken token;
    try {
      identity = directory.identityFor(user);
      token = tokens.getToken(spec.request(identity));
    } catch (ThrottledException e) {
      error(
          response, 503, "acs_throttled", "ACS is busy; retry later", e.retryAfter().orElse(null));
      return;
    } catch (AcsException e) {
      String code = e.errorCode().orElse(e.getClass().getSimpleName());
      if (e.isRetryable()) {
        error(response, 503, "acs_unavailable", code, null);
      } else {
        error(response, 502, "acs_error", code, null);
      }
      return;
    }
    Map<String, String> body = new LinkedHashMap<>();
    body.put("communicationUserId", identity.value());
    body.put("token", token.value());
    body.put("expiresOn", token.expiresAt().toString());
    write(response, 200, body);
  }

  private static void error(
      HttpServletResponse response,
      int status,
      String error,
      String message,
      @Nullable Duration retryAfter)
      throws IOException {
    if (retryAfter != null) {
      // whole seconds, rounded up, at least 1
      long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
      response.setHeader("Retry-After", Long.toString(seconds));
    }
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("message", message);
    write(response, status, body);
  }

  private static void write(HttpServletResponse response, int status, Map<String, String> body)
      throws IOException {
    byte[] json = json(body).getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    // a token is personal and short-lived: no cache keeps it
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(json.length);
    response.getOutputStream().write(json);
  }

  static String json(Map<String, String> fields) {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, String> field : fields.entrySet()) {
      if (out.length() > 1) {
        out.append(',');
      }
      quote(out, field.getKey());
      out.append(':');
      quote(out, field.getValue());
    }
    return out.append('}').toString();
  }

  private static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  @Override
  public String toString() {
    return "TokenEndpoint[" + spec + "]";
  }
}
