package dev.acstoken.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.azure.AcsIdentityClient;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The compiled module descriptor exports the API packages and nothing else. */
class ModuleDescriptorTest {

  @Test
  void moduleInfo_exportsExactlyTheApiPackages() throws IOException, URISyntaxException {
    ModuleDescriptor descriptor = readCompiledDescriptor();

    assertThat(descriptor.name()).isEqualTo("dev.acstoken.core");
    assertThat(descriptor.exports())
        .allSatisfy(e -> assertThat(e.isQualified()).as("qualified export %s", e).isFalse())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder(
            "dev.acstoken.core", "dev.acstoken.core.error", "dev.acstoken.core.azure");
    assertThat(descriptor.opens()).isEmpty();
    assertThat(descriptor.isOpen()).isFalse();
  }

  @Test
  void moduleInfo_requiresTheSdkAndSlf4jButExposesOnlyJspecifyAndAzureCore()
      throws IOException, URISyntaxException {
    ModuleDescriptor descriptor = readCompiledDescriptor();

    assertThat(
            descriptor.requires().stream()
                .map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet()))
        .contains(
            "org.slf4j",
            "com.azure.communication.identity",
            "com.azure.core",
            "com.azure.core.http.jdk.httpclient");
    // transitive: the types that appear in the public API (annotations; HttpClient, RetryOptions)
    assertThat(
            descriptor.requires().stream()
                .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
                .map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("org.jspecify", "com.azure.core");
  }

  private static ModuleDescriptor readCompiledDescriptor() throws IOException, URISyntaxException {
    Path classes =
        Path.of(
            AcsIdentityClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path moduleInfo = classes.resolve("module-info.class");
    assertThat(moduleInfo).as("compiled module descriptor").exists();
    try (InputStream in = Files.newInputStream(moduleInfo)) {
      return ModuleDescriptor.read(in);
    }
  }
}
