package dev.acstoken.spring.test;

import dev.acstoken.spring.autoconfigure.AcsIdentityClientBuilderCustomizer;
import dev.acstoken.testkit.AcsEmulator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts an emulator for one application context, before it is refreshed: puts its connection
 * string first among the property sources, registers it as the bean {@code acsEmulator} (stopped
 * with the context) and a client customizer that trusts its certificate. All instances are equal,
 * so that annotated test classes with the same configuration share one cached context.
 */
final class AcsEmulatorContextCustomizer implements ContextCustomizer {

  static final String EMULATOR_BEAN = "acsEmulator";
  static final String CUSTOMIZER_BEAN = "acsEmulatorClientCustomizer";
  static final String PROPERTY_SOURCE = "acsEmulator";

  @Override
  public void customizeContext(
      ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
    AcsEmulator emulator = AcsEmulator.start();
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("acs.connection-string", emulator.connectionString());
    // blank wins over the application's own endpoint and key, which would clash with the string
    properties.put("acs.endpoint", "");
    properties.put("acs.access-key", "");
    context
        .getEnvironment()
        .getPropertySources()
        .addFirst(new MapPropertySource(PROPERTY_SOURCE, properties));

    ConfigurableListableBeanFactory beans = context.getBeanFactory();
    beans.registerSingleton(EMULATOR_BEAN, emulator);
    AcsIdentityClientBuilderCustomizer trust =
        builder ->
            builder
                .httpClient(emulator.httpClient())
                .retryOptions(AcsEmulator.zeroDelayRetryOptions());
    beans.registerSingleton(CUSTOMIZER_BEAN, trust);
    if (beans instanceof DefaultListableBeanFactory registry) {
      // stopped with the context's singletons, also when the refresh fails
      registry.registerDisposableBean(EMULATOR_BEAN, emulator::close);
    } else {
      context.addApplicationListener(
          event -> {
            if (event instanceof ContextClosedEvent) {
              emulator.close();
            }
          });
    }
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof AcsEmulatorContextCustomizer;
  }

  @Override
  public int hashCode() {
    return AcsEmulatorContextCustomizer.class.hashCode();
  }

  @Override
  public String toString() {
    return "AcsEmulatorContextCustomizer";
  }
}
