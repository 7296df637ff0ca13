package dev.acstoken.testkit.contract;

import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.testkit.FakeAcs;
import dev.acstoken.testkit.MutableClock;
import java.time.Clock;
import java.time.Duration;

/** The token-provider contract against the in-memory fake, on a clock that stands still. */
class FakeAcsTokenProviderContractTest extends TokenProviderContract {

  private final MutableClock clock = MutableClock.systemStart();
  private final FakeAcs acs = FakeAcs.builder().clock(clock).build();

  @Override
  protected TokenProvider tokenProvider() {
    return acs;
  }

  @Override
  protected IdentityOperations identityOperations() {
    return acs;
  }

  @Override
  protected Clock clock() {
    return clock;
  }

  @Override
  protected Duration clockTolerance() {
    return Duration.ofMillis(1);
  }
}
