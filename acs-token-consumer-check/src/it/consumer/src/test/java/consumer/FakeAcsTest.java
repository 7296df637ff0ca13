package consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.FakeAcs;
import dev.acstoken.testkit.Operation;
import org.junit.jupiter.api.Test;

/** The README's cache over the in-memory fake, as a user's unit test writes it. */
class FakeAcsTest {

  @Test
  void getToken_twice_servedFromTheCache() {
    FakeAcs acs = FakeAcs.create();
    IdentityId user = acs.createIdentity();
    try (CachingTokenProvider cache = CachingTokenProvider.builder(acs).build()) {
      AccessToken first = cache.getToken(TokenRequest.of(user, Scope.VOIP));
      AccessToken second = cache.getToken(TokenRequest.of(user, Scope.VOIP));

      assertSame(first, second);
      assertEquals(1, acs.callCount(Operation.ISSUE_TOKEN));
      assertTrue(acs.isValid(first.value()));
    }
  }
}
