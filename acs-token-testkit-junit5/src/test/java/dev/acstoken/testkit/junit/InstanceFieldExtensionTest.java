package dev.acstoken.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.testkit.AcsEmulator;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension in an instance field, where JUnit calls neither beforeAll nor afterAll: every test
 * gets an emulator, and none is left running after its test (JUnit before 5.13 does not close what
 * its store holds, so the extension must).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstanceFieldExtensionTest {

  private static final AtomicReference<AcsEmulator> FIRST = new AtomicReference<>();

  @RegisterExtension final AcsEmulatorExtension acs = AcsEmulatorExtension.create();

  @Test
  @Order(1)
  void first_inAnInstanceField_getsARunningEmulator(AcsEmulator emulator) {
    assertThat(emulator.isRunning()).isTrue();
    assertThat(acs.emulator()).isSameAs(emulator);
    FIRST.set(emulator);
  }

  @Test
  @Order(2)
  void second_theFirstTestsEmulator_wasClosedAfterIt(AcsEmulator emulator) {
    assertThat(FIRST.get()).isNotNull();
    assertThat(FIRST.get().isRunning()).isFalse();
    assertThat(emulator.isRunning()).isTrue();
  }
}
