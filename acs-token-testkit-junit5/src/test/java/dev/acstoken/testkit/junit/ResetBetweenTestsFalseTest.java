package dev.acstoken.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.IdentityOperations;
import dev.acstoken.testkit.AcsEmulator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** {@code @AcsEmulatorTest(resetBetweenTests = false)}: state kept from test to test. */
@AcsEmulatorTest(resetBetweenTests = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResetBetweenTestsFalseTest {

  @Test
  @Order(1)
  void first_createsAnIdentity(IdentityOperations ops) {
    ops.createIdentity();
  }

  @Test
  @Order(2)
  void second_resetBetweenTestsFalse_stillFindsTheIdentity(AcsEmulator emulator) {
    assertThat(emulator.identities()).hasSize(1);
  }
}
