package dev.engines.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.EnginesException;
import dev.engines.core.scope.Scope;
import dev.engines.storage.ObjectKey;
import dev.engines.storage.PutOptions;
import dev.engines.storage.TestContent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the filesystem adapter has: its staging directory, links and the tree layout. */
class FilesystemRawStoreTests {

  private static final Scope SCOPE = Scope.of("t_acme", "dev");
  private static final ObjectKey KEY = ObjectKey.rawAsset(SCOPE, "ra_k3v9x2m4q7", "report.pdf");

  @TempDir Path root;

  @Test
  void putStoresTheObjectAtItsKeyUnderTheRoot() throws IOException {
    try (FilesystemRawStore store = new FilesystemRawStore(new FilesystemSettings(root))) {
      store.put(KEY, TestContent.text("pdf"), PutOptions.of("application/pdf", 10));
    }

    assertThat(root.resolve("tenants/t_acme/dev/raw/ra_k3v9x2m4q7/report.pdf")).hasContent("pdf");
  }

  @Test
  void putWhenUploadFailsThenNoStagingFileIsLeft() throws IOException {
    try (FilesystemRawStore store = new FilesystemRawStore(new FilesystemSettings(root))) {
      assertThatThrownBy(
              () ->
                  store.put(
                      KEY,
                      TestContent.failingAfter(1_000_000, 1, 300_000),
                      PutOptions.of("application/pdf", 2_000_000)))
          .isInstanceOf(EnginesException.class);
      assertThatThrownBy(
              () ->
                  store.put(
                      KEY, TestContent.generated(200, 1), PutOptions.of("application/pdf", 100)))
          .isInstanceOf(EnginesException.class);
    }

    try (Stream<Path> staging = Files.list(root.resolve(FilesystemRawStore.STAGING_DIR))) {
      assertThat(staging).isEmpty();
    }
  }

  @Test
  void openingTheStoreRemovesStagingFilesOlderThanADayOnly() throws IOException {
    Path staging = Files.createDirectories(root.resolve(FilesystemRawStore.STAGING_DIR));
    Path stale = Files.writeString(staging.resolve("upload-crashed.part"), "partial");
    Files.setLastModifiedTime(
        stale,
        FileTime.from(
            Instant.now()
                .minus(FilesystemRawStore.STALE_STAGING_AGE)
                .minus(Duration.ofMinutes(1))));
    Path inFlight = Files.writeString(staging.resolve("upload-running.part"), "partial");

    new FilesystemRawStore(new FilesystemSettings(root)).close();

    assertThat(stale).doesNotExist();
    assertThat(inFlight).exists();
  }

  @Test
  void headAndOpenWhenKeyIsASymbolicLinkThenNotFound() throws IOException {
    Path secret = Files.writeString(root.resolve("outside.txt"), "not tenant data");
    Path link = root.resolve(KEY.value());
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, secret);

    try (FilesystemRawStore store = new FilesystemRawStore(new FilesystemSettings(root))) {
      assertThat(store.head(KEY)).isEmpty();
      assertThatThrownBy(() -> store.open(KEY))
          .isInstanceOfSatisfying(
              EnginesException.class, e -> assertThat(e.status()).isEqualTo(404));
    }
  }

  @Test
  void listSkipsNamesThatAreNotValidKeysAndLinks() throws IOException {
    Path asset = Files.createDirectories(root.resolve("tenants/t_acme/dev/raw/ra_k3v9x2m4q7"));
    Files.writeString(asset.resolve("bad%2fname"), "x");
    Files.createSymbolicLink(asset.resolve("link.txt"), root);

    try (FilesystemRawStore store = new FilesystemRawStore(new FilesystemSettings(root))) {
      store.put(KEY, TestContent.text("pdf"), PutOptions.of("application/pdf", 10));
      try (Stream<ObjectKey> listed = store.list(ObjectKey.scopePrefix(SCOPE))) {
        assertThat(listed).containsExactly(KEY);
      }
    }
  }

  @Test
  void headWhenFileWasWrittenByAnotherToolThenNoSha256AndDefaultContentType() throws IOException {
    Path file = root.resolve(KEY.value());
    Files.createDirectories(file.getParent());
    Files.writeString(file, "copied in");

    try (FilesystemRawStore store = new FilesystemRawStore(new FilesystemSettings(root))) {
      assertThat(store.head(KEY))
          .hasValueSatisfying(
              head -> {
                assertThat(head.sha256()).isEmpty();
                assertThat(head.contentType()).isEqualTo(PutOptions.DEFAULT_CONTENT_TYPE);
                assertThat(head.size()).isEqualTo(9);
              });
      assertThat(store.verify(KEY, 9, TestContent.sha256("copied in")).sha256())
          .contains(TestContent.sha256("copied in"));
    }
  }

  @Test
  void settingsWhenRootIsRelativeThenRejected() {
    assertThatThrownBy(() -> new FilesystemSettings(Path.of("data")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new FilesystemSettings(root.resolve("a/../b")).root()).isEqualTo(root.resolve("b"));
  }
}
