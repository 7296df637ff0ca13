package dev.acstoken.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.IdentityOperations;
import dev.acstoken.testkit.AcsEmulator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's {@code AcsEmulatorExtension...withoutReset()}: state kept from test to test. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WithoutResetTest {

  @RegisterExtension
  static final AcsEmulatorExtension ACS = AcsEmulatorExtension.create().withoutReset();

  @Test
  @Order(1)
  void first_createsAnIdentity(IdentityOperations ops) {
    ops.createIdentity();
  }

  @Test
  @Order(2)
  void second_withoutReset_stillFindsTheIdentity(AcsEmulator emulator) {
    assertThat(emulator).isSameAs(ACS.emulator());
    assertThat(emulator.identities()).hasSize(1);
  }
}
