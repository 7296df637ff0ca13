package consumer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.AcsEmulator;
import dev.acstoken.testkit.junit.AcsEmulatorTest;
import org.junit.jupiter.api.Test;

/** The HTTPS emulator through the real Azure SDK, run by the consumer's own JUnit 5.11. */
@AcsEmulatorTest
class EmulatorTest {

  @Test
  void revokeTokens_afterIssue_tokenNoLongerValid(
      TokenProvider tokens, IdentityOperations ops, AcsEmulator acs) {
    IdentityId user = ops.createIdentity();
    AccessToken token = tokens.getToken(TokenRequest.of(user, Scope.CHAT));
    assertTrue(acs.isValid(token.value()));

    ops.revokeTokens(user);

    assertFalse(acs.isValid(token.value()));
  }
}
