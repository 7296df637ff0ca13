package dev.acstoken.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModuleInfoTest {

  static ModuleDescriptor descriptor() throws IOException {
    Path classes = Path.of("target", "classes", "module-info.class");
    try (InputStream in = Files.newInputStream(classes)) {
      return ModuleDescriptor.read(in);
    }
  }

  @Test
  void module_exportsOnlyTheApiPackages() throws IOException {
    ModuleDescriptor m = descriptor();
    assertThat(m.name()).isEqualTo("dev.acstoken.cache");
    assertThat(
            m.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("dev.acstoken.cache", "dev.acstoken.cache.micrometer");
    assertThat(m.exports()).allMatch(e -> !e.isQualified());
  }

  @Test
  void module_requiresMicrometerOnlyStatically() throws IOException {
    ModuleDescriptor.Requires micrometer =
        descriptor().requires().stream()
            .filter(r -> r.name().equals("micrometer.core"))
            .findFirst()
            .orElseThrow();
    assertThat(micrometer.modifiers()).contains(ModuleDescriptor.Requires.Modifier.STATIC);
  }
}
