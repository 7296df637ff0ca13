package dev.acstoken.spring.test;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * The Spring TestContext hook of {@link AutoConfigureAcsEmulator}: gives the contexts of annotated
 * test classes an emulator. Registered by the annotation; applications do not use it directly.
 */
public final class AcsEmulatorContextCustomizerFactory implements ContextCustomizerFactory {

  /** Creates the factory; Spring's TestContext framework does. */
  public AcsEmulatorContextCustomizerFactory() {}

  @Override
  public @Nullable ContextCustomizer createContextCustomizer(
      Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
    return TestContextAnnotationUtils.hasAnnotation(testClass, AutoConfigureAcsEmulator.class)
        ? new AcsEmulatorContextCustomizer()
        : null;
  }
}
