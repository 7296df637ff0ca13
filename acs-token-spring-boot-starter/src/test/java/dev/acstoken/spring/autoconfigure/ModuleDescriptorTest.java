package dev.acstoken.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {

  @Test
  void moduleInfo_exports_onlyTheAutoConfigurationPackage() throws Exception {
    ModuleDescriptor descriptor;
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      descriptor = ModuleDescriptor.read(in);
    }

    assertThat(descriptor.name()).isEqualTo("dev.acstoken.spring.autoconfigure");
    assertThat(descriptor.exports().stream().map(ModuleDescriptor.Exports::source))
        .containsExactly("dev.acstoken.spring.autoconfigure");
    assertThat(descriptor.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
    assertThat(
            descriptor.requires().stream()
                .map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet()))
        .contains("dev.acstoken.core", "dev.acstoken.cache", "spring.boot.autoconfigure");
  }

  @Test
  void implementationTypes_arePackagePrivate() {
    assertThat(Modifier.isPublic(AcsHealthProbe.class.getModifiers())).isFalse();
    assertThat(Modifier.isPublic(SharedTier.class.getModifiers())).isFalse();
    assertThat(Modifier.isPublic(Settings.class.getModifiers())).isFalse();
  }

  @Test
  void autoConfigurationImports_listTheFourAutoConfigurations() throws Exception {
    String imports =
        Files.readString(
            Path.of(
                "target/classes/META-INF/spring/"
                    + "org.springframework.boot.autoconfigure.AutoConfiguration.imports"));

    assertThat(imports.lines())
        .containsExactly(
            AcsAutoConfiguration.class.getName(),
            AcsHealthAutoConfiguration.class.getName(),
            AcsDirectoryAutoConfiguration.class.getName(),
            AcsTokenEndpointAutoConfiguration.class.getName());
  }

  @Test
  void configurationMetadata_isGenerated() throws Exception {
    String metadata =
        Files.readString(Path.of("target/classes/META-INF/spring-configuration-metadata.json"));

    assertThat(metadata)
        .contains(
            "\"acs.connection-string\"",
            "\"acs.cache.enabled\"",
            "\"acs.cache.refresh-fraction\"",
            "\"acs.shared-tier.redis-uri\"",
            "\"acs.shared-tier.encryption-key\"",
            "\"acs.health.cache-time\"");
  }
}
