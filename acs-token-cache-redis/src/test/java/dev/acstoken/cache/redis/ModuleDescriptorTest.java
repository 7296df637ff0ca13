package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {

  @Test
  void moduleInfo_exports_onlyTheApiPackage() throws Exception {
    ModuleDescriptor descriptor;
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      descriptor = ModuleDescriptor.read(in);
    }

    assertThat(descriptor.name()).isEqualTo("dev.acstoken.cache.redis");
    assertThat(descriptor.exports().stream().map(ModuleDescriptor.Exports::source))
        .containsExactly("dev.acstoken.cache.redis");
    assertThat(descriptor.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
    assertThat(
            descriptor.requires().stream()
                .map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet()))
        .contains("dev.acstoken.core", "dev.acstoken.cache", "lettuce.core");
  }

  @Test
  void publicTypes_ofTheApiPackage_areTheDocumentedOnes() {
    // implementation classes stay package-private
    assertThat(java.lang.reflect.Modifier.isPublic(RedisLink.class.getModifiers())).isFalse();
    assertThat(java.lang.reflect.Modifier.isPublic(RecordCipher.class.getModifiers())).isFalse();
    assertThat(java.lang.reflect.Modifier.isPublic(KeyLayout.class.getModifiers())).isFalse();
    assertThat(java.lang.reflect.Modifier.isFinal(RedisSharedTier.class.getModifiers())).isTrue();
    assertThat(dev.acstoken.cache.SharedTier.class.isAssignableFrom(RedisSharedTier.class))
        .isTrue();
    assertThat(java.lang.reflect.Modifier.isFinal(EncryptionKeys.class.getModifiers())).isTrue();
  }
}
