package dev.acstoken.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.spring.autoconfigure.AcsIdentityClientBuilderCustomizer;
import dev.acstoken.testkit.AcsEmulator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;

class AcsEmulatorContextCustomizerTest {

  @AutoConfigureAcsEmulator
  static class Annotated {}

  static class Plain {}

  @Test
  void factory_givesEqualCustomizersToAnnotatedClasses_andNoneToOthers() {
    AcsEmulatorContextCustomizerFactory factory = new AcsEmulatorContextCustomizerFactory();

    assertThat(factory.createContextCustomizer(Annotated.class, List.of()))
        .isEqualTo(factory.createContextCustomizer(Annotated.class, List.of()))
        .hasSameHashCodeAs(factory.createContextCustomizer(Annotated.class, List.of()));
    assertThat(factory.createContextCustomizer(Plain.class, List.of())).isNull();
  }

  @Test
  void customizeContext_startsAnEmulator_thatStopsWithTheContext() {
    AcsEmulator emulator;
    try (GenericApplicationContext context = new GenericApplicationContext()) {
      new AcsEmulatorContextCustomizer().customizeContext(context, null);
      context.refresh();

      emulator = context.getBean(AcsEmulator.class);
      assertThat(emulator.isRunning()).isTrue();
      assertThat(context.getEnvironment().getProperty("acs.connection-string"))
          .isEqualTo(emulator.connectionString());
      assertThat(context.getBeansOfType(AcsIdentityClientBuilderCustomizer.class)).hasSize(1);
    }

    assertThat(emulator.isRunning()).isFalse();
  }
}
