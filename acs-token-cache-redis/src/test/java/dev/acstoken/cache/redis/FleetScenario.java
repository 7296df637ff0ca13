package dev.acstoken.cache.redis;

import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.FakeAcs;
import dev.acstoken.testkit.MutableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the fleet tests on real Redis servers share: one simulated clock, one fake ACS on it, a pool
 * of reader threads and the keys they read (one new identity each, made before every test).
 */
abstract class FleetScenario {

  final MutableClock clock = Fleet.clock();
  final FakeAcs acs = FakeAcs.builder().clock(clock).build();
  final ExecutorService threads;
  final List<TokenRequest> keys = new ArrayList<>();
  private final int keyCount;

  FleetScenario(int threadCount, int keyCount) {
    this.threads = Executors.newFixedThreadPool(threadCount);
    this.keyCount = keyCount;
  }

  @BeforeEach
  void identities() {
    for (int i = 0; i < keyCount; i++) {
      keys.add(TokenRequest.of(acs.createIdentity(), Scope.VOIP));
    }
  }

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }
}
