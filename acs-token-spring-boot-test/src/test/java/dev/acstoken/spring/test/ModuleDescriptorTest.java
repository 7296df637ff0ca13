package dev.acstoken.spring.test;

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
  void moduleInfo_exports_onlyTheTestSupportPackage() throws Exception {
    ModuleDescriptor descriptor;
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      descriptor = ModuleDescriptor.read(in);
    }

    assertThat(descriptor.name()).isEqualTo("dev.acstoken.spring.test");
    assertThat(descriptor.exports().stream().map(ModuleDescriptor.Exports::source))
        .containsExactly("dev.acstoken.spring.test");
    assertThat(descriptor.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
    assertThat(
            descriptor.requires().stream()
                .map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet()))
        .contains("dev.acstoken.testkit", "dev.acstoken.spring.autoconfigure", "spring.test");
  }

  @Test
  void theCustomizer_isPackagePrivate() {
    assertThat(Modifier.isPublic(AcsEmulatorContextCustomizer.class.getModifiers())).isFalse();
  }
}
