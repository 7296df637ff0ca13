package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.TokenLifetime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
class FleetSimulationTest {

  @Test
  void run_fourInstancesOverSimulatedHours_redisTierCutsAcsCallsToOneFleetWide(RedisServer redis) {
    Duration simulated = Duration.ofHours(3);
    TokenLifetime lifetime = TokenLifetime.ofMinutes(60);

    FleetSimulation.Result without =
        FleetSimulation.run(null, 4, 5, simulated, Duration.ofMinutes(1), lifetime);
    FleetSimulation.Result with =
        FleetSimulation.run(redis.uri(), 4, 5, simulated, Duration.ofMinutes(1), lifetime);

    // with it the fleet refreshes each key about as often as one instance alone would
    assertThat(with.acsCalls()).isLessThanOrEqualTo(without.acsCalls() / 4 + with.keys());
    assertThat(with.acsCalls()).isGreaterThanOrEqualTo(with.keys());
  }
}
