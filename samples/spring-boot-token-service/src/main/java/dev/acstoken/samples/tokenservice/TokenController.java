package dev.acstoken.samples.tokenservice;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.AcsException;
import dev.acstoken.core.error.InvalidRequestException;
import dev.acstoken.core.error.NotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /identities}, {@code GET /token?identity=...&scopes=chat,voip} and {@code DELETE
 * /identities/{id}}. The injected {@link TokenProvider} is the starter's cache, and the injected
 * {@link IdentityOperations} drop the cached tokens of an identity they delete.
 */
@RestController
class TokenController {

  private final TokenProvider tokens;
  private final IdentityOperations identities;

  TokenController(TokenProvider tokens, IdentityOperations identities) {
    this.tokens = tokens;
    this.identities = identities;
  }

  @PostMapping("/identities")
  ResponseEntity<Map<String, String>> createIdentity() {
    IdentityId id = identities.createIdentity();
    return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", id.value()));
  }

  /**
   * The answer of {@code GET /token}. A record rather than a map, because Spring MVC logs what it
   * writes (at DEBUG, and whole at TRACE) through {@code toString}: this one leaves the token out.
   *
   * @param token the token
   * @param expiresOn its expiry, ISO-8601
   */
  record TokenAnswer(String token, String expiresOn) {
    @Override
    public String toString() {
      return "TokenAnswer[token=<redacted>, expiresOn=" + expiresOn + "]";
    }
  }

  @GetMapping("/token")
  TokenAnswer token(
      @RequestParam("identity") String identity,
      @RequestParam(name = "scopes", defaultValue = "voip") String scopes) {
    List<Scope> parsed = new ArrayList<>();
    for (String scope : scopes.split(",")) {
      parsed.add(Scope.fromWireName(scope.trim()));
    }
    AccessToken token = tokens.getToken(TokenRequest.of(IdentityId.of(identity), parsed));
    return new TokenAnswer(token.value(), token.expiresAt().toString());
  }

  @DeleteMapping("/identities/{id}")
  ResponseEntity<Void> deleteIdentity(@PathVariable("id") String id) {
    identities.deleteIdentity(IdentityId.of(id));
    return ResponseEntity.noContent().build();
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
    return ResponseEntity.badRequest().body(Map.of("error", String.valueOf(e.getMessage())));
  }

  @ExceptionHandler(AcsException.class)
  ResponseEntity<Map<String, String>> acsError(AcsException e) {
    HttpStatus status =
        e instanceof NotFoundException
            ? HttpStatus.NOT_FOUND
            : e instanceof InvalidRequestException
                ? HttpStatus.BAD_REQUEST
                : e.isRetryable() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY;
    return ResponseEntity.status(status)
        .body(Map.of("error", e.errorCode().orElse(e.getClass().getSimpleName())));
  }
}
